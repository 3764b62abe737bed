"""The HTML site: the furo theme in the brand's colours, each topic page with its summary,
downloads and review dates, the PDFs served beside the pages, and accessible markup."""

HTML_BUILDERS = ("html", "dirhtml", "singlehtml")  # the builders that make the site
