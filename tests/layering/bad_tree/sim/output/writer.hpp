// A private header of the output room.
#pragma once
