"""List-of-model fields (line items): columns mapped to fields, rows read into items, cells scored."""
