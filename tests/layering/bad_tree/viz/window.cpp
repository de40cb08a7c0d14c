// Allowed: SFML in viz. Not allowed: viz reaching into the cli.
#include <SFML/Graphics.hpp>
#include "../cli/commands.hpp"
