// kernel/net/tls_setup.hpp — the OpenSSL side of the client, kept out of
// the Asio translation unit: trust store, SNI, hostname verification and
// explaining a failed handshake in words a person can act on.
#pragma once

#include <openssl/ssl.h>

#include <string>

namespace cowork::kernel::net {

// Trusts the system store (honours SSL_CERT_FILE / SSL_CERT_DIR) and/or
// extra PEM CAs; TLS 1.2 minimum. Returns an error message, or "".
std::string configure_client_context(SSL_CTX* ctx, bool system_ca, const std::string& extra_ca_pem);

// SNI for names (never for IP literals) and certificate name/IP checks.
bool prepare_client_ssl(SSL* ssl, const std::string& host);

// "certificate verify failed for api.example.com (unable to get local
// issuer certificate): install the CA or set SSL_CERT_FILE", or a generic
// handshake message with `detail`.
std::string tls_failure_message(SSL* ssl, const std::string& host, const std::string& detail);

}  // namespace cowork::kernel::net
