// cowork/sdk/interfaces.hpp — C++ bases for the interfaces a plugin provides.
//
// A plugin class derives from Plugin and from any of these; Plugin's default
// interface() finds them, builds the C table once and hands it to the kernel.
#pragma once

#include <cowork/abi.h>
#include <cowork/sdk/barrier.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace cowork::sdk {

using Json = nlohmann::json;

// Streams events (LLM deltas, tool progress) back to the caller during a call.
class Events {
public:
    explicit Events(const cowork_sink* out) : out_(out) {}
    void emit(const Json& event) const { write_event(out_, event); }
    bool listening() const noexcept { return out_ && out_->event; }

private:
    const cowork_sink* out_;
};

namespace detail {
// One trampoline shape for every slot: parse, call, write, never throw.
template <class Iface, Json (Iface::*Method)(const Json&, Events&)>
cowork_status slot(void* self, const char* in, size_t size, const cowork_sink* out) {
    return guarded(out, [&] {
        Events events(out);
        const Json request = parse_request(in, size);
        write_result(out, (static_cast<Iface*>(self)->*Method)(request, events));
    });
}
}  // namespace detail

class ToolProvider {
public:
    virtual ~ToolProvider() = default;
    // {"tools":[{name, description, inputSchema, annotations}]}
    virtual Json list_tools(const Json& request, Events& events) = 0;
    // {"content":[…],"isError":bool}
    virtual Json call_tool(const Json& request, Events& events) = 0;
    virtual Json cancel(const Json&, Events&) { return Json::object(); }

    const cowork_tool_provider_v1* tool_table() {
        table_ = {sizeof(cowork_tool_provider_v1), this,
                  &detail::slot<ToolProvider, &ToolProvider::list_tools>,
                  &detail::slot<ToolProvider, &ToolProvider::call_tool>,
                  &detail::slot<ToolProvider, &ToolProvider::cancel>};
        return &table_;
    }

private:
    cowork_tool_provider_v1 table_{};
};

class LlmProvider {
public:
    virtual ~LlmProvider() = default;
    virtual Json list_models(const Json& request, Events& events) = 0;
    virtual Json complete(const Json& request, Events& events) = 0;
    virtual Json cancel(const Json&, Events&) { return Json::object(); }

    const cowork_llm_v1* llm_table() {
        table_ = {sizeof(cowork_llm_v1), this, &detail::slot<LlmProvider, &LlmProvider::list_models>,
                  &detail::slot<LlmProvider, &LlmProvider::complete>,
                  &detail::slot<LlmProvider, &LlmProvider::cancel>};
        return &table_;
    }

private:
    cowork_llm_v1 table_{};
};

// cowork.channel/1. Every request carries "channelId": one plugin object
// serves every instance the kernel opens (docs/channels.md). Throw
// invalid/not_found/denied from send for failures a retry cannot fix; any
// other error is retried by the outbox.
class Channel {
public:
    virtual ~Channel() = default;
    // {"channelId","chatId","text","idempotencyKey"?} → {"messageId"}
    virtual Json send(const Json& request, Events& events) = 0;
    // {"channelId"} → {"state":"connected|connecting|error","detail"}
    virtual Json status(const Json& request, Events& events) = 0;
    // {"channelId"} → {"ok","detail"}
    virtual Json test(const Json& request, Events& events) = 0;
    // {"channelId","config","secrets"} → {"state","detail"}. The default
    // answers "unsupported": the kernel then treats the plugin as serving a
    // single instance and never calls close.
    virtual Json open(const Json&, Events&) { throw unsupported_instances(); }
    // {"channelId"} → {}
    virtual Json close(const Json&, Events&) { throw unsupported_instances(); }

    const cowork_channel_v1* channel_table() {
        table_ = {sizeof(cowork_channel_v1), this, &detail::slot<Channel, &Channel::send>,
                  &detail::slot<Channel, &Channel::status>, &detail::slot<Channel, &Channel::test>,
                  &detail::slot<Channel, &Channel::open>, &detail::slot<Channel, &Channel::close>};
        return &table_;
    }

private:
    static Error unsupported_instances() {
        return {COWORK_E_UNSUPPORTED, "unsupported", "this channel plugin serves a single instance"};
    }

    cowork_channel_v1 table_{};
};

class Memory {
public:
    virtual ~Memory() = default;
    virtual Json remember(const Json& request, Events& events) = 0;
    virtual Json recall(const Json& request, Events& events) = 0;
    virtual Json forget(const Json& request, Events& events) = 0;

    const cowork_memory_v1* memory_table() {
        table_ = {sizeof(cowork_memory_v1), this, &detail::slot<Memory, &Memory::remember>,
                  &detail::slot<Memory, &Memory::recall>, &detail::slot<Memory, &Memory::forget>};
        return &table_;
    }

private:
    cowork_memory_v1 table_{};
};

class Frontend {
public:
    virtual ~Frontend() = default;
    virtual Json describe(const Json& request, Events& events) = 0;

    const cowork_frontend_v1* frontend_table() {
        table_ = {sizeof(cowork_frontend_v1), this, &detail::slot<Frontend, &Frontend::describe>};
        return &table_;
    }

private:
    cowork_frontend_v1 table_{};
};

// cowork.methods/1: API methods the plugin declares in its manifest's "api".
class MethodProvider {
public:
    virtual ~MethodProvider() = default;
    // {"method","params","caller":{"id","role","scopes"}} → the method's result.
    virtual Json call_method(const Json& request, Events& events) = 0;

    const cowork_methods_v1* methods_table() {
        table_ = {sizeof(cowork_methods_v1), this, &detail::slot<MethodProvider, &MethodProvider::call_method>};
        return &table_;
    }

private:
    cowork_methods_v1 table_{};
};

}  // namespace cowork::sdk
