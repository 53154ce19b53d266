"""The register's widgets: the paged asset table, the filter panel, the column chooser and saved views."""
