// private header of the world room
