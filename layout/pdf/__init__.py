"""PDF output: the ReportLab writer (``writer``), print finishing to PDF/X (``finish``) and the
preflight checker for any PDF (``preflight``)."""
