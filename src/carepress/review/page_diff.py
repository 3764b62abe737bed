"""Where two renderings of a page differ: a pixel diff with a small tolerance for
anti-aliasing, grouped into boxes a reviewer can see, and an image that marks them."""

from __future__ import annotations

from PIL import Image, ImageChops, ImageDraw

TOLERANCE = 48   # a grey-level difference up to this is anti-aliasing, not a change
CELL = 8         # pixels are grouped in cells of CELL x CELL
MIN_PIXELS = 2   # a cell with fewer changed pixels than this is noise
GAP = 2          # cells this close belong to one region
PAD = 4          # pixels round each box
MARK = (220, 20, 60)


def changed_mask(before: Image.Image, after: Image.Image) -> Image.Image | None:
    """A 1-bit-like "L" image, 255 where the pages differ beyond the tolerance; None when
    they are the same size and nothing differs."""
    if before.size != after.size:
        return Image.new("L", after.size, 255)
    diff = ImageChops.difference(before.convert("L"), after.convert("L"))
    mask = diff.point(lambda v: 255 if v > TOLERANCE else 0)
    return mask if mask.getbbox() else None


def boxes(mask: Image.Image | None) -> list[tuple[int, int, int, int]]:
    """The changed regions of ``mask`` as (left, top, right, bottom) boxes in pixels."""
    if mask is None:
        return []
    width, height = mask.size
    cols, rows = -(-width // CELL), -(-height // CELL)
    small = mask.resize((cols, rows), Image.Resampling.BOX)  # mean of each cell
    floor = 255 * MIN_PIXELS / (CELL * CELL)
    data = small.tobytes()
    hot = {(i % cols, i // cols) for i, v in enumerate(data) if v >= floor}
    out = []
    while hot:
        stack = [hot.pop()]
        x0 = x1 = stack[0][0]
        y0 = y1 = stack[0][1]
        while stack:
            x, y = stack.pop()
            x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
            for dx in range(-GAP, GAP + 1):
                for dy in range(-GAP, GAP + 1):
                    near = (x + dx, y + dy)
                    if near in hot:
                        hot.remove(near)
                        stack.append(near)
        out.append((max(0, x0 * CELL - PAD), max(0, y0 * CELL - PAD),
                    min(width, (x1 + 1) * CELL + PAD), min(height, (y1 + 1) * CELL + PAD)))
    return sorted(out, key=lambda b: (b[1], b[0]))


def marked(after: Image.Image, mask: Image.Image | None,
           regions: list[tuple[int, int, int, int]]) -> Image.Image:
    """The new page faded, its changed pixels in red and each region boxed."""
    faded = after.convert("L").point(lambda v: 150 + v * 105 // 255).convert("RGB")
    if mask is not None:
        faded.paste(MARK, mask=mask)
    draw = ImageDraw.Draw(faded)
    for box in regions:
        draw.rectangle(box, outline=MARK, width=3)
    return faded
