#include <boost/graph/compressed_sparse_row_graph.hpp>
