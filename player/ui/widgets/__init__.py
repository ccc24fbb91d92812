"""Widgets and painters the pages are made of: labels, the banner, the chart, pictures, the
flash, the shared style."""
