// kernel/process/host_relay.hpp — serves a plugin host's `host.*` calls by
// calling the real `cowork_host` the kernel made for that plugin.
//
// Callback services are bridged with records we own: the real bus/scheduler
// gets a trampoline plus a record naming the child's id, and the trampoline
// pushes `bus.deliver` / `timer.fire` to the child. release() unsubscribes
// and cancels everything (on crash or shutdown) so the kernel never calls
// towards a dead child; records are freed only with the relay, after that.
#pragma once

#include "process/endpoint.hpp"

#include <cowork/abi.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cowork::kernel::process {

class HostRelay {
public:
    // `host` outlives the relay (the manager's contract for Runtime::create).
    HostRelay(const cowork_host* host, std::string plugin_id);
    ~HostRelay() { release(); }
    HostRelay(const HostRelay&) = delete;
    HostRelay& operator=(const HostRelay&) = delete;

    // Where deliveries go. Set before the endpoint starts.
    void attach(Endpoint* child) { child_ = child; }

    // The service ids the real host offers (told to the child at create).
    std::vector<std::string> available_services() const;

    // [worker] host.* requests; [serial] host.log.
    Json handle_request(const std::string& method, const Json& params, const Endpoint::EventFn& emit);
    void handle_notification(const std::string& method, const Json& params);

    // [any-thread] Ends every subscription and timer; idempotent.
    void release();

private:
    struct Callback {
        HostRelay* relay;
        uint64_t child_id;
        uint64_t token = 0;  // the real bus/scheduler token
    };

    template <class Table>
    const Table* service(const char* id) const;
    Json serve_json(const char* service_id, size_t slot_offset, const Json& params, const Endpoint::EventFn& emit);
    Json publish(const Json& params);
    Json subscribe(const Json& params);
    Json unsubscribe(const Json& params);
    Json add_timer(const Json& params);
    Json cancel_timer(const Json& params);
    void push(const char* method, Json params);
    bool released_after_registering();
    Callback* remember(std::map<uint64_t, std::unique_ptr<Callback>>& records, uint64_t child_id);

    const cowork_host* host_;
    const std::string plugin_id_;
    Endpoint* child_ = nullptr;
    std::mutex mutex_;
    bool released_ = false;
    std::map<uint64_t, std::unique_ptr<Callback>> subscriptions_;  // by child id
    std::map<uint64_t, std::unique_ptr<Callback>> timers_;         // by child id
    std::vector<std::unique_ptr<Callback>> retired_;               // ended, kept until destruction
};

}  // namespace cowork::kernel::process
