// Deliberately wrong: the input room writes output (data must flow one way).
#include "composition.hpp"
#include "cyberdrill/batch_writer.hpp"
#include "../output/writer.hpp"
