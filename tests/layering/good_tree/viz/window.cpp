// A clean tree: SFML in viz, Boost.Graph in the world room only.
#include <SFML/Graphics.hpp>
