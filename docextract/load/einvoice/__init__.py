"""E-invoice XML: safe parsing (``parse``), the neutral record (``model``), the CII and UBL readers."""
