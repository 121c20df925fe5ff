#include "storage/kernel_schema.hpp"

#include <array>

namespace cowork::kernel::storage {
namespace {

constexpr const char* kInitialSchema = R"sql(
CREATE TABLE workspaces(
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  path        TEXT NOT NULL UNIQUE,
  permissions TEXT NOT NULL DEFAULT '{}',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE tasks(
  id           TEXT PRIMARY KEY,
  workspace_id TEXT REFERENCES workspaces(id) ON DELETE SET NULL,
  title        TEXT NOT NULL DEFAULT '',
  prompt       TEXT NOT NULL DEFAULT '',
  status       TEXT NOT NULL,
  source       TEXT NOT NULL DEFAULT '{}',
  budget       TEXT NOT NULL DEFAULT '{}',
  result       TEXT,
  error        TEXT,
  parent_id    TEXT REFERENCES tasks(id) ON DELETE SET NULL,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  completed_at INTEGER
);
CREATE INDEX tasks_by_status    ON tasks(status, created_at);
CREATE INDEX tasks_by_workspace ON tasks(workspace_id, created_at);
CREATE INDEX tasks_by_parent    ON tasks(parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE task_events(
  task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  seq     INTEGER NOT NULL,
  ts      INTEGER NOT NULL,
  type    TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY(task_id, seq)
) WITHOUT ROWID;

CREATE TABLE approvals(
  id         TEXT PRIMARY KEY,
  task_id    TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  tool       TEXT NOT NULL,
  request    TEXT NOT NULL DEFAULT '{}',
  status     TEXT NOT NULL DEFAULT 'pending'
             CHECK(status IN ('pending','approved','denied','expired')),
  decided_by TEXT,
  reason     TEXT,
  created_at INTEGER NOT NULL,
  decided_at INTEGER,
  expires_at INTEGER
);
CREATE INDEX approvals_by_task    ON approvals(task_id, created_at);
CREATE INDEX approvals_pending    ON approvals(expires_at) WHERE status = 'pending';

CREATE TABLE settings(
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE secure_settings(
  key        TEXT PRIMARY KEY,
  ciphertext BLOB NOT NULL,
  nonce      BLOB NOT NULL,
  key_id     TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE plugin_state(
  plugin_id  TEXT PRIMARY KEY,
  enabled    INTEGER NULL CHECK(enabled IN (0,1)),
  state      TEXT NOT NULL DEFAULT '',
  reason     TEXT,
  updated_at INTEGER NOT NULL
);

CREATE TABLE audit_log(
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  ts       INTEGER NOT NULL,
  actor    TEXT NOT NULL,
  action   TEXT NOT NULL,
  target   TEXT NOT NULL DEFAULT '',
  decision TEXT NOT NULL DEFAULT '',
  rule     TEXT NOT NULL DEFAULT '',
  details  TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_by_ts     ON audit_log(ts);
CREATE INDEX audit_by_actor  ON audit_log(actor, ts);
CREATE INDEX audit_by_action ON audit_log(action, ts);
)sql";

}  // namespace

MigrationSet kernel_migrations() {
    return MigrationSet{kKernelComponent,
                        {
                            Migration{1, "initial kernel schema", kInitialSchema},
                            // Append new kernel migrations here: {2, "…", "…"}.
                        }};
}

bool is_kernel_table(const std::string& name) {
    static constexpr std::array<const char*, 10> kTables = {
        "workspaces", "tasks",        "task_events", "approvals",         "settings",
        "secure_settings", "plugin_state", "audit_log",   "schema_migrations", "sqlite_sequence"};
    for (const char* t : kTables)
        if (name == t) return true;
    return false;
}

}  // namespace cowork::kernel::storage
