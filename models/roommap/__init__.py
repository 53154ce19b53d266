"""Room maps without Qt: outline geometry and checks, the automatic schematic of a floor,
and the colour scales of the map overlays. The desktop view and the PDF map both use these,
so what is on screen and what is printed agree."""
