// kernel/core/asio.hpp — the one way to include Asio in this project.
//
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>;
// under GCC 12 in C++20 mode that fails to compile. Include it first.
#pragma once

#include <utility>

#include <boost/asio.hpp>

namespace cowork {
namespace asio = boost::asio;
}
