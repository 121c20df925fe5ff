# All third-party libraries come from Debian 12 packages (see README set-up).
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED)                 # Boost::headers: dll, asio, beast
find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(tomlplusplus 3 REQUIRED)
find_package(spdlog 1.10 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
if(COWORK_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
