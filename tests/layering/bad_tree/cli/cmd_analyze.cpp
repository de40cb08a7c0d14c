// A deliberate violation: the command line reaches into a private header of sim/analysis through
// an include directory that exposes the source tree.
#include "analysis/ranking.hpp"
