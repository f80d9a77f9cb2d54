"""The pages, one module per family; :mod:`.base` holds what they share."""
