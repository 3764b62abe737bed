"""What a change does, for the people who review it: git's view of the change (git.py),
each printed page as an image (pages.py), and the visual diff of every brochure
(`carepress diff`: base.py builds the base revision, compare.py finds the changed pages,
page_diff.py marks them, write.py writes _build/diff/)."""
