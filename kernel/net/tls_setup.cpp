#include "net/tls_setup.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace cowork::kernel::net {
namespace {

bool is_ip_literal(const std::string& host) {
    unsigned char buf[16];
    return ::inet_pton(AF_INET, host.c_str(), buf) == 1 || ::inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// Adds every certificate in `pem` to the context's store; counts them.
int add_pem_cas(SSL_CTX* ctx, const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    int added = 0;
    while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
        if (X509_STORE_add_cert(store, cert) == 1) ++added;
        X509_free(cert);
    }
    ERR_clear_error();  // the loop ends on a "no start line" error: expected
    BIO_free(bio);
    return added;
}

}  // namespace

std::string configure_client_context(SSL_CTX* ctx, bool system_ca, const std::string& extra_ca_pem) {
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    if (system_ca && SSL_CTX_set_default_verify_paths(ctx) != 1)
        return "cannot load the system CA store; install ca-certificates or set SSL_CERT_FILE";
    if (!extra_ca_pem.empty() && add_pem_cas(ctx, extra_ca_pem) == 0)
        return "the extra CA given to the HTTP client holds no PEM certificate";
    return {};
}

bool prepare_client_ssl(SSL* ssl, const std::string& host) {
    SSL_set_verify(ssl, SSL_VERIFY_PEER, nullptr);
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    if (is_ip_literal(host)) return X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1;
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    return SSL_set_tlsext_host_name(ssl, host.c_str()) == 1 && SSL_set1_host(ssl, host.c_str()) == 1;
}

std::string tls_failure_message(SSL* ssl, const std::string& host, const std::string& detail) {
    const long verify = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
    if (verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH)
        return "certificate verify failed for " + host + ": the certificate is not valid for that name; "
               "use the host name the certificate was issued for";
    if (verify != X509_V_OK)
        return "certificate verify failed for " + host + " (" + X509_verify_cert_error_string(verify) +
               "): install the CA or set SSL_CERT_FILE";
    return "TLS handshake with " + host + " failed (" + detail + "); check that the port speaks HTTPS";
}

}  // namespace cowork::kernel::net
