"""The room map's Qt pieces: the floor scene and its items, the zoomable view, undoable
editing commands, the legend, the room panel, prompts and printing."""
