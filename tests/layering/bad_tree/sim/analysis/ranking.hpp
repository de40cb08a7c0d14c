// a private header of the analysis room
