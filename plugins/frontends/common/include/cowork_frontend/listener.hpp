// cowork_frontend/listener.hpp — the listening socket every frontend opens.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <stdexcept>
#include <string>

namespace cowork::frontend {

// Opens a listening acceptor on bind:port ("localhost" means 127.0.0.1).
// Throws std::runtime_error with a message a person can act on;
// `how_to_change` says where this frontend's port is configured. A port in
// use is the common case (a second coworkd), so it gets its own sentence.
inline std::unique_ptr<boost::asio::ip::tcp::acceptor> open_listener(boost::asio::io_context& ioc,
                                                                     const std::string& bind, unsigned short port,
                                                                     const std::string& how_to_change) {
    namespace asio = boost::asio;
    const std::string host = bind == "localhost" ? "127.0.0.1" : bind;
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec) throw std::runtime_error("bind address '" + host + "' is not an IP address");
    auto acceptor = std::make_unique<asio::ip::tcp::acceptor>(ioc);
    const asio::ip::tcp::endpoint endpoint(address, port);
    acceptor->open(endpoint.protocol(), ec);
    if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor->bind(endpoint, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec == asio::error::address_in_use)
        throw std::runtime_error("port " + std::to_string(port) + " on " + host +
                                 " is already in use (another coworkd?). Stop that process, or " + how_to_change);
    if (ec)
        throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message() + " (" +
                                 how_to_change + ")");
    return acceptor;
}

}  // namespace cowork::frontend
