#include "storage/json_redact.hpp"

#include "core/redactor.hpp"

namespace cowork::kernel::storage {

Json redact_json(const Json& value) {
    const auto& redactor = Redactor::instance();
    if (value.is_string()) return redactor.redact(value.get_ref<const std::string&>());
    if (value.is_array()) {
        Json out = Json::array();
        for (const auto& item : value) out.push_back(redact_json(item));
        return out;
    }
    if (value.is_object()) {
        Json out = Json::object();
        for (const auto& [key, item] : value.items()) out[redactor.redact(key)] = redact_json(item);
        return out;
    }
    return value;
}

}  // namespace cowork::kernel::storage
