"""PDF output: the print policy pass (``policy``), the writer (``writer``: ReportLab's canvas,
CID fonts from ``cidfont``/``sfnt``, photos prepared by ``photos``), print finishing to PDF/X
(``finish``) and the preflight checker for any PDF (``preflight``)."""
