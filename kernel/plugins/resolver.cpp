#include "plugins/resolver.hpp"

#include "plugins/semver.hpp"

#include <algorithm>
#include <functional>
#include <set>

namespace cowork::kernel::plugins {
namespace {

using Nodes = std::map<std::string, const ResolveNode*>;

// Edges between usable plugins: id → the dependencies it needs loaded first.
std::map<std::string, std::set<std::string>> graph_of(const Nodes& usable) {
    std::map<std::string, std::set<std::string>> graph;
    for (const auto& [id, node] : usable) {
        auto& edges = graph[id];
        for (const auto& dep : node->dependencies)
            if (usable.count(dep.id)) edges.insert(dep.id);
    }
    return graph;
}

// Tarjan's strongly connected components; returns those that form cycles.
std::vector<std::set<std::string>> cycles_in(const std::map<std::string, std::set<std::string>>& graph) {
    std::map<std::string, int> index, low;
    std::vector<std::string> stack;
    std::set<std::string> on_stack;
    std::vector<std::set<std::string>> cycles;
    int next = 0;
    std::function<void(const std::string&)> visit = [&](const std::string& v) {
        index[v] = low[v] = next++;
        stack.push_back(v);
        on_stack.insert(v);
        for (const auto& w : graph.at(v)) {
            if (!index.count(w)) {
                visit(w);
                low[v] = std::min(low[v], low[w]);
            } else if (on_stack.count(w)) {
                low[v] = std::min(low[v], index[w]);
            }
        }
        if (low[v] != index[v]) return;
        std::set<std::string> component;
        std::string w;
        do {
            w = stack.back();
            stack.pop_back();
            on_stack.erase(w);
            component.insert(w);
        } while (w != v);
        if (component.size() > 1 || graph.at(v).count(v)) cycles.push_back(std::move(component));
    };
    for (const auto& [v, edges] : graph)
        if (!index.count(v)) visit(v);
    return cycles;
}

// A readable path around one cycle, from its smallest id: "a → b → a".
std::string describe_cycle(const std::set<std::string>& members,
                           const std::map<std::string, std::set<std::string>>& graph) {
    const std::string start = *members.begin();
    std::vector<std::string> path{start};
    std::set<std::string> seen{start};
    std::function<bool(const std::string&)> walk = [&](const std::string& v) {
        for (const auto& w : graph.at(v)) {
            if (!members.count(w)) continue;
            if (w == start) return true;
            if (seen.insert(w).second) {
                path.push_back(w);
                if (walk(w)) return true;
                path.pop_back();
            }
        }
        return false;
    };
    walk(start);
    std::string text;
    for (const auto& id : path) text += id + " → ";
    return text + start;
}

// Kahn's algorithm over the acyclic rest; the ready set is ordered by id.
std::vector<std::string> topological(const std::map<std::string, std::set<std::string>>& graph,
                                     const std::set<std::string>& excluded) {
    std::map<std::string, size_t> pending;
    std::map<std::string, std::vector<std::string>> dependents;
    for (const auto& [v, deps] : graph) {
        if (excluded.count(v)) continue;
        pending[v] = 0;
        for (const auto& d : deps) {
            if (excluded.count(d)) continue;
            ++pending[v];
            dependents[d].push_back(v);
        }
    }
    std::set<std::string> ready;
    for (const auto& [v, n] : pending)
        if (n == 0) ready.insert(v);
    std::vector<std::string> order;
    while (!ready.empty()) {
        const std::string v = *ready.begin();
        ready.erase(ready.begin());
        order.push_back(v);
        for (const auto& w : dependents[v])
            if (--pending[w] == 0) ready.insert(w);
    }
    return order;
}

std::string state_word(Verdict::Kind k) { return k == Verdict::Kind::Failed ? "failed" : "disabled"; }

// Why `dep` keeps `node` from running, or "" when it does not.
std::string dependency_problem(const Dependency& dep, const Nodes& all, const std::map<std::string, Verdict>& verdicts) {
    auto it = all.find(dep.id);
    if (it == all.end()) return dep.optional ? "" : "requires " + dep.id + " (" + dep.version_range + "), which is not installed";
    const ResolveNode& upstream = *it->second;
    if (!upstream.usable)
        return dep.optional ? "" : "requires " + dep.id + ", which is " + upstream.unusable_reason;
    const Verdict& v = verdicts.at(dep.id);
    if (v.kind != Verdict::Kind::Ok)
        return dep.optional ? "" : "requires " + dep.id + ", which is " + state_word(v.kind) + ": " + v.reason;
    auto range = VersionRange::parse(dep.version_range);
    auto version = Version::parse(upstream.version);
    if (!range || !version || !range->contains(*version))
        return dep.optional ? "" : "requires " + dep.id + " " + dep.version_range + ", but " + upstream.version +
                                       " is installed";
    return "";
}

}  // namespace

Resolution resolve(const std::vector<ResolveNode>& nodes) {
    Nodes all, usable;
    for (const auto& n : nodes) {
        all.emplace(n.id, &n);
        if (n.usable) usable.emplace(n.id, &n);
    }
    const auto graph = graph_of(usable);
    Resolution result;
    std::set<std::string> in_cycle;
    for (const auto& cycle : cycles_in(graph)) {
        const std::string text = "dependency cycle: " + describe_cycle(cycle, graph);
        for (const auto& id : cycle) {
            result.verdicts[id] = {Verdict::Kind::Failed, text};
            in_cycle.insert(id);
        }
    }
    // Dependencies come first in this order, so every upstream verdict is
    // final by the time a plugin is judged.
    for (const auto& id : topological(graph, in_cycle)) {
        Verdict verdict;
        for (const auto& dep : usable.at(id)->dependencies) {
            if (auto problem = dependency_problem(dep, all, result.verdicts); !problem.empty()) {
                verdict = {Verdict::Kind::Disabled, problem};
                break;
            }
        }
        result.verdicts[id] = verdict;
        result.order.push_back(id);
    }
    // Required interfaces: disabling one plugin can orphan another's
    // requirement, so repeat until nothing changes.
    for (bool changed = true; changed;) {
        changed = false;
        std::set<std::string> provided;
        for (const auto& id : result.order)
            if (result.verdicts[id].kind == Verdict::Kind::Ok)
                for (const auto& iface : usable.at(id)->provides) provided.insert(iface);
        for (const auto& id : result.order) {
            auto& verdict = result.verdicts[id];
            if (verdict.kind != Verdict::Kind::Ok) continue;
            std::string problem;
            for (const auto& dep : usable.at(id)->dependencies)
                if (problem.empty()) problem = dependency_problem(dep, all, result.verdicts);
            for (const auto& iface : usable.at(id)->requires_)
                if (problem.empty() && !provided.count(iface))
                    problem = "requires interface " + iface + ", which no enabled plugin provides";
            if (!problem.empty()) {
                verdict = {Verdict::Kind::Disabled, problem};
                changed = true;
            }
        }
    }
    // Cycle members stay out of `order`: nothing of theirs will be loaded.
    return result;
}

}  // namespace cowork::kernel::plugins
