import GRDB
import UrbanGridCore

/// The versioned schema. Every geometry column gets a SpatiaLite R*Tree index; spatial queries
/// join `idx_<table>_geom` directly (5–6× faster than the `SpatialIndex` virtual table), then run
/// the exact geometry test.
enum Schema {
    /// Geometry columns of the base layers: table → SpatiaLite geometry type.
    static let geometryColumns: [(table: String, type: String)] = [
        ("district", "MULTIPOLYGON"), ("street", "MULTIPOLYGON"), ("community", "MULTIPOLYGON"),
        ("grid", "MULTIPOLYGON"), ("component", "POINT"), ("address", "POINT"),
        ("road", "MULTILINESTRING"), ("building", "MULTIPOLYGON"),
    ]

    /// The audit log refuses updates (and deletes, in v2-cases).
    static let auditUpdateTrigger = """
        CREATE TRIGGER case_audit_append_only_update BEFORE UPDATE ON case_audit
        BEGIN SELECT RAISE(ABORT, 'case_audit is append-only'); END;
        """

    static func migrator(storageSrid: Int) -> DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-base-geography") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

                CREATE TABLE component_type (
                    code TEXT PRIMARY KEY, major TEXT NOT NULL, major_zh TEXT NOT NULL, major_en TEXT NOT NULL,
                    name_zh TEXT NOT NULL, name_en TEXT NOT NULL, geometry TEXT NOT NULL);
                CREATE TABLE matter_type (
                    code TEXT PRIMARY KEY, major TEXT NOT NULL, major_zh TEXT NOT NULL, major_en TEXT NOT NULL,
                    name_zh TEXT NOT NULL, name_en TEXT NOT NULL,
                    component_code TEXT REFERENCES component_type(code));
                CREATE TABLE legacy_component_class (
                    code TEXT PRIMARY KEY, major TEXT NOT NULL, major_zh TEXT NOT NULL, name_zh TEXT NOT NULL,
                    name_en TEXT NOT NULL, new_code TEXT REFERENCES component_type(code));
                CREATE TABLE legacy_event_class (
                    code TEXT PRIMARY KEY, major TEXT NOT NULL, major_zh TEXT NOT NULL, name_zh TEXT NOT NULL,
                    name_en TEXT NOT NULL, new_code TEXT REFERENCES matter_type(code));

                CREATE TABLE department (
                    code TEXT PRIMARY KEY, name_zh TEXT NOT NULL UNIQUE, name_en TEXT NOT NULL, kind TEXT NOT NULL);

                CREATE TABLE district (fid INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,
                    name_zh TEXT NOT NULL, name_en TEXT NOT NULL);
                CREATE TABLE street (fid INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,
                    name_zh TEXT NOT NULL, name_en TEXT NOT NULL,
                    district_code TEXT NOT NULL REFERENCES district(code));
                CREATE TABLE community (fid INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,
                    name_zh TEXT NOT NULL, name_en TEXT NOT NULL,
                    street_code TEXT NOT NULL REFERENCES street(code));
                -- 单元网格: about 10,000 m², wholly inside one community.
                CREATE TABLE grid (fid INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,
                    community_code TEXT NOT NULL REFERENCES community(code),
                    area_m2 REAL NOT NULL, note TEXT, initial_date TEXT, change_date TEXT);
                -- 管理部件: the 18 attributes of GB/T 47678.5 表2 (names of departments, streets and
                -- communities are joined from their tables; see the component_gb view).
                -- mx/my: the point in the city's metric CRS, so distances need no transform per row.
                CREATE TABLE component (fid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
                    type_code TEXT NOT NULL REFERENCES component_type(code),
                    name TEXT NOT NULL,
                    competent_dept TEXT NOT NULL REFERENCES department(code),
                    owner_dept TEXT REFERENCES department(code),
                    maintainer_dept TEXT REFERENCES department(code),
                    grid_code TEXT NOT NULL REFERENCES grid(code),
                    status TEXT NOT NULL CHECK (status IN ('完好','破损','丢失','废弃','移除')),
                    initial_date TEXT NOT NULL, change_date TEXT, data_source TEXT, note TEXT,
                    street_code TEXT REFERENCES street(code), community_code TEXT REFERENCES community(code),
                    mx REAL NOT NULL, my REAL NOT NULL);
                CREATE INDEX component_type_code ON component(type_code);
                CREATE INDEX component_grid ON component(grid_code);
                -- 门(楼)牌: door plates for reverse geocoding.
                CREATE TABLE address (fid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, street TEXT NOT NULL,
                    housenumber TEXT NOT NULL, postcode TEXT, name TEXT, grid_code TEXT REFERENCES grid(code),
                    mx REAL NOT NULL, my REAL NOT NULL);
                CREATE TABLE road (fid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT, class TEXT NOT NULL);
                CREATE TABLE building (fid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT, levels INTEGER);
                """)
            for (table, type) in geometryColumns {
                try db.execute(sql: "SELECT AddGeometryColumn(?, 'geom', ?, ?, 'XY', 1)",
                               arguments: [table, storageSrid, type])
                try db.execute(sql: "SELECT CreateSpatialIndex(?, 'geom')", arguments: [table])
                let ok = try Bool.fetchOne(db, sql: "SELECT count(*) = 1 FROM geometry_columns WHERE f_table_name = ? AND spatial_index_enabled = 1",
                                           arguments: [table]) ?? false
                guard ok else { throw DatabaseError(message: "could not create geometry column \(table).geom") }
            }
            // GB/T 47678.5 表2 with the standard's field abbreviations, for exchange.
            try db.execute(sql: """
                CREATE VIEW component_gb AS
                SELECT c.id AS GLBJBSM, c.name AS GLBJMC,
                       c.competent_dept AS ZGBMDM, zg.name_zh AS ZGBMMC,
                       c.owner_dept AS QSDWDM, qs.name_zh AS QSDWMC,
                       c.maintainer_dept AS YHDWDM, yh.name_zh AS YHDWMC,
                       c.grid_code AS SZDYWGBSM, c.status AS GLBJZT,
                       replace(c.initial_date, '-', '') AS CSRQ, replace(c.change_date, '-', '') AS BGRQ,
                       c.data_source AS SJLY, c.note AS BZ,
                       c.street_code AS SZJDDM, s.name_zh AS SZJDMC,
                       c.community_code AS SZSQDM, cm.name_zh AS SZSQMC
                FROM component c
                LEFT JOIN department zg ON zg.code = c.competent_dept
                LEFT JOIN department qs ON qs.code = c.owner_dept
                LEFT JOIN department yh ON yh.code = c.maintainer_dept
                LEFT JOIN street s ON s.code = c.street_code
                LEFT JOIN community cm ON cm.code = c.community_code;
                """)
        }
        m.registerMigration("v1-users") { db in
            try db.execute(sql: """
                CREATE TABLE user (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    role TEXT NOT NULL, department_code TEXT REFERENCES department(code),
                    password_hash TEXT NOT NULL, created_at TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,
                    CHECK ((role = 'department-staff') = (department_code IS NOT NULL)));
                -- Opaque bearer tokens: only their SHA-256 is stored.
                CREATE TABLE session_token (token_hash TEXT PRIMARY KEY,
                    user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                    created_at TEXT NOT NULL, expires_at TEXT NOT NULL, revoked_at TEXT);
                CREATE INDEX session_token_user ON session_token(user_id);
                """)
        }
        m.registerMigration("v2-cases") { db in
            try db.execute(sql: """
                -- 案卷. `state` is Core's CaseState as JSON, `clock` its StepClock; the columns beside them
                -- are copies kept for filtering and sorting.
                CREATE TABLE case_record (id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL, type_code TEXT NOT NULL, source TEXT NOT NULL, urgent INTEGER NOT NULL,
                    self_handled INTEGER NOT NULL, description TEXT, address TEXT, geocoded TEXT,
                    reporter_name TEXT, reporter_phone TEXT,
                    reported_by INTEGER NOT NULL REFERENCES user(id), idempotency_key TEXT,
                    state TEXT NOT NULL, status TEXT NOT NULL, department_code TEXT REFERENCES department(code),
                    clock TEXT, deadline TEXT,
                    grid_code TEXT NOT NULL REFERENCES grid(code), community_code TEXT NOT NULL, street_code TEXT NOT NULL,
                    component_id TEXT, suggestion TEXT, rule_id TEXT, flagged INTEGER NOT NULL,
                    duplicates TEXT NOT NULL, mx REAL NOT NULL, my REAL NOT NULL,
                    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                    UNIQUE (reported_by, idempotency_key));
                CREATE INDEX case_status ON case_record(status);
                CREATE INDEX case_department ON case_record(department_code, status);
                CREATE INDEX case_grid ON case_record(grid_code);
                CREATE INDEX case_component ON case_record(component_id);
                -- Append-only audit log: every state change, in the transaction that makes it. Its
                -- sequence is the event stream's id.
                CREATE TABLE case_audit (seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id INTEGER NOT NULL REFERENCES case_record(id), at TEXT NOT NULL,
                    actor_id INTEGER NOT NULL REFERENCES user(id), actor_role TEXT NOT NULL, action TEXT NOT NULL,
                    from_status TEXT, to_status TEXT NOT NULL, department_code TEXT, note TEXT,
                    summary_zh TEXT NOT NULL, summary_en TEXT NOT NULL);
                CREATE INDEX case_audit_case ON case_audit(case_id, seq);
                \(auditUpdateTrigger)
                CREATE TRIGGER case_audit_append_only_delete BEFORE DELETE ON case_audit
                BEGIN SELECT RAISE(ABORT, 'case_audit is append-only'); END;
                """)
            try db.execute(sql: "SELECT AddGeometryColumn('case_record', 'geom', ?, 'POINT', 'XY', 1)", arguments: [storageSrid])
            try db.execute(sql: "SELECT CreateSpatialIndex('case_record', 'geom')")
        }
        m.registerMigration("v3-inspector-beats") { db in
            // 责任网格: the grids an inspector (监督员) patrols; verifications and checks go to them.
            try db.execute(sql: """
                CREATE TABLE inspector_beat (grid_code TEXT PRIMARY KEY REFERENCES grid(code),
                    user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE);
                CREATE INDEX inspector_beat_user ON inspector_beat(user_id);
                """)
        }
        m.registerMigration("v4-webhooks") { db in
            // A department's push endpoint; `last_seq` is the audit entry delivered (or given up) last.
            try db.execute(sql: """
                CREATE TABLE department_webhook (id INTEGER PRIMARY KEY,
                    department_code TEXT NOT NULL REFERENCES department(code), url TEXT NOT NULL, secret TEXT NOT NULL,
                    created_at TEXT NOT NULL, last_seq INTEGER NOT NULL);
                -- Every delivery attempt, successful or not.
                CREATE TABLE webhook_delivery (id INTEGER PRIMARY KEY,
                    webhook_id INTEGER NOT NULL REFERENCES department_webhook(id) ON DELETE CASCADE,
                    audit_seq INTEGER NOT NULL, case_id INTEGER NOT NULL, attempt INTEGER NOT NULL, at TEXT NOT NULL,
                    status_code INTEGER, error TEXT, delivered INTEGER NOT NULL);
                CREATE INDEX webhook_delivery_hook ON webhook_delivery(webhook_id, id);
                """)
        }
        m.registerMigration("v5-case-media") { db in
            // Photos: the bytes live on disk beside the database, named by their SHA-256.
            try db.execute(sql: """
                CREATE TABLE case_media (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES case_record(id),
                    step TEXT NOT NULL CHECK (step IN ('report', 'handling', 'check')), sha256 TEXT NOT NULL,
                    content_type TEXT NOT NULL, size INTEGER NOT NULL, filename TEXT,
                    uploaded_by INTEGER NOT NULL REFERENCES user(id), at TEXT NOT NULL);
                CREATE INDEX case_media_case ON case_media(case_id, id);
                """)
        }
        m.registerMigration("v6-case-number-counter") { db in
            try db.execute(sql: "CREATE TABLE case_number_seq (day TEXT PRIMARY KEY, last INTEGER NOT NULL)")
        }
        m.registerMigration("v7-api-keys") { db in
            // Departments' keys for the features API: only the SHA-256 of the key is stored.
            // `collections` is a comma list ('*' = every collection); `cases_scope` own|all or NULL.
            try db.execute(sql: """
                CREATE TABLE api_key (id INTEGER PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, name TEXT,
                    department_code TEXT NOT NULL REFERENCES department(code), collections TEXT NOT NULL,
                    cases_scope TEXT CHECK (cases_scope IN ('own', 'all')),
                    created_at TEXT NOT NULL, expires_at TEXT, revoked_at TEXT);
                """)
        }
        m.registerMigration("v7-evaluation-steps") { db in
            // Facts for the evaluation (综合评价), written with the audit entry that makes them: one row per
            // time-limited step (环节) of a case with its outcome fixed when it ends; on every audit entry
            // the instant from which the case's current step counts as overdue (NULL: no step, or hung
            // before it was overdue); and on the case when it was registered (立案) and by whom, voided,
            // closed, and whether any of its 处置 finished late. Cases written before this migration have
            // none of these.
            try db.execute(sql: """
                CREATE TABLE case_step (id INTEGER PRIMARY KEY,
                    case_id INTEGER NOT NULL REFERENCES case_record(id), node TEXT NOT NULL,
                    start_seq INTEGER NOT NULL, started_at TEXT NOT NULL, start_action TEXT NOT NULL,
                    started_by INTEGER NOT NULL, department_code TEXT, inspector_id INTEGER,
                    limit_s REAL NOT NULL, extension_s REAL NOT NULL DEFAULT 0,
                    extensions INTEGER NOT NULL DEFAULT 0, hangs INTEGER NOT NULL DEFAULT 0,
                    end_seq INTEGER, ended_at TEXT, end_action TEXT, end_status TEXT, ended_by INTEGER,
                    elapsed_s REAL, on_time INTEGER);
                CREATE UNIQUE INDEX case_step_open ON case_step(case_id) WHERE ended_at IS NULL;
                ALTER TABLE case_audit ADD COLUMN overdue_from TEXT;
                ALTER TABLE case_record ADD COLUMN registered_at TEXT;
                ALTER TABLE case_record ADD COLUMN registered_by INTEGER;
                ALTER TABLE case_record ADD COLUMN voided_at TEXT;
                ALTER TABLE case_record ADD COLUMN closed_at TEXT;
                ALTER TABLE case_record ADD COLUMN late_handling INTEGER NOT NULL DEFAULT 0;
                -- An evaluation reads a period as ranges of these indexes, which hold every column its
                -- queries need (covering), so no row is fetched from the tables.
                CREATE INDEX case_step_ended ON case_step(node, ended_at, end_action, end_status, on_time, ended_by,
                    department_code, extensions, hangs, started_at);
                CREATE INDEX case_step_started ON case_step(node, started_at, start_action, started_by, department_code,
                    end_status, ended_at);
                CREATE INDEX case_created ON case_record(created_at, reported_by, self_handled, registered_at, closed_at,
                    grid_code);
                CREATE INDEX case_registered ON case_record(registered_at, registered_by, grid_code, source, voided_at,
                    closed_at, late_handling);
                """)
        }
        m.registerMigration("v9-audit-hash-chain") { db in
            // Tamper-evident audit log: each entry carries the hash of the entry before it and its own hash
            // over both (AuditHashChain). Entries already written are hashed here, in sequence order; the
            // append-only trigger steps aside for that one update.
            try db.execute(sql: """
                ALTER TABLE case_audit ADD COLUMN prev_hash TEXT;
                ALTER TABLE case_audit ADD COLUMN hash TEXT;
                DROP TRIGGER case_audit_append_only_update;
                """)
            try AuditHashChain.backfill(db)
            try db.execute(sql: auditUpdateTrigger)
        }
        m.registerMigration("v10-open-cases-near") { db in
            // Duplicate suggestions at intake: open cases of a kind and code, by metric cell
            // (CaseLocator.duplicates). Only open cases are in it, so it stays small; it holds
            // every column the search reads, so the search never reads the cases' rows.
            try db.execute(sql: """
                CREATE INDEX case_open_near ON case_record(kind, type_code, CAST(my / 64 AS INTEGER), CAST(mx / 64 AS INTEGER),
                    created_at, mx, my, status, number, component_id) WHERE status NOT IN ('closed', 'voided', 'refused')
                """)
        }
        m.registerMigration("v11-case-geometry-triggers") { db in
            // Cases are written one at a time, many a second, and updated by every action.
            // SpatiaLite's index triggers format and parse an SQL statement per row (RTreeAlign),
            // and its time stamps update geometry_columns_time on every change of any column;
            // the index is kept here by compiled trigger statements and the stamps are left out
            // (nothing reads them). The R*Tree rounds each box outward to its 32-bit floats itself.
            let index = """
                DELETE FROM idx_case_record_geom WHERE pkid = NEW.ROWID;
                INSERT INTO idx_case_record_geom (pkid, xmin, xmax, ymin, ymax)
                SELECT NEW.ROWID, MbrMinX(NEW.geom), MbrMaxX(NEW.geom), MbrMinY(NEW.geom), MbrMaxY(NEW.geom) WHERE NEW.geom IS NOT NULL;
                """
            try db.execute(sql: """
                DROP TRIGGER IF EXISTS tmi_case_record_geom;
                DROP TRIGGER IF EXISTS tmu_case_record_geom;
                DROP TRIGGER IF EXISTS tmd_case_record_geom;
                DROP TRIGGER IF EXISTS gii_case_record_geom;
                DROP TRIGGER IF EXISTS giu_case_record_geom;
                CREATE TRIGGER gii_case_record_geom AFTER INSERT ON case_record FOR EACH ROW BEGIN \(index) END;
                CREATE TRIGGER giu_case_record_geom AFTER UPDATE OF geom ON case_record FOR EACH ROW BEGIN \(index) END;
                """)
        }
        m.registerMigration("v12-component-status-check") { db in
            // `status IN (…)` in a CHECK builds a temporary b-tree of the list for every INSERT
            // statement run (OpenEphemeral): a tenth of a bulk import's SQLite time. The same
            // condition as a chain of equalities costs nothing. SQLite's documented way to
            // change a CHECK without rebuilding the table ("Making Other Kinds Of Table Schema
            // Changes"): edit the stored CREATE TABLE text, bump the schema version.
            let statuses = ComponentStatus.allCases.map { "'\($0.rawValue)'" }
            let old = "CHECK (status IN (" + statuses.joined(separator: ",") + "))"
            let new = "CHECK (" + statuses.map { "status = \($0)" }.joined(separator: " OR ") + ")"
            let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
            try db.execute(sql: "PRAGMA writable_schema = ON")
            try db.execute(sql: "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'component'",
                           arguments: [old, new])
            let changed = db.changesCount
            try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
            try db.execute(sql: "PRAGMA writable_schema = OFF")
            guard changed == 1, try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'component'")?.contains(new) == true else {
                throw StoreError.badCityData("component's status CHECK is not the one this migration rewrites")
            }
        }
        m.registerMigration("v13-case-insert-triggers") { db in
            // Two per-row costs of writing a case, measured with callgrind on 3,000 inserts:
            // - SpatiaLite's geometry check looks the column's type and SRID up in geometry_columns
            //   with Lower() on every row (a fifth of an insert); here the two values are written
            //   into the trigger. ABORT rather than ROLLBACK, so that a bad row fails its own
            //   statement, not the batch of reports it shares a transaction with (GroupCommit).
            // - The R*Tree insert trigger first deleted the new row id from the index (another
            //   eighth): a new row id cannot be there, since deletes remove theirs (gid_), and the
            //   R*Tree refuses a duplicate id rather than hiding it. Updates still delete first.
            guard let c = try Row.fetchOne(db, sql: """
                SELECT geometry_type, srid FROM geometry_columns WHERE f_table_name = 'case_record' AND f_geometry_column = 'geom'
                """) else { throw StoreError.badCityData("case_record.geom is not a registered geometry column") }
            let type: Int = c[0], srid: Int = c[1]
            let check = """
                SELECT RAISE(ABORT, 'case_record.geom violates Geometry constraint [geom-type or SRID not allowed]')
                WHERE coalesce(GeometryConstraints(NEW.geom, \(type), \(srid)), 0) != 1;
                """
            try db.execute(sql: """
                DROP TRIGGER IF EXISTS ggi_case_record_geom;
                DROP TRIGGER IF EXISTS ggu_case_record_geom;
                DROP TRIGGER IF EXISTS gii_case_record_geom;
                CREATE TRIGGER ggi_case_record_geom BEFORE INSERT ON case_record FOR EACH ROW BEGIN \(check) END;
                CREATE TRIGGER ggu_case_record_geom BEFORE UPDATE OF geom ON case_record FOR EACH ROW BEGIN \(check) END;
                CREATE TRIGGER gii_case_record_geom AFTER INSERT ON case_record FOR EACH ROW BEGIN
                    INSERT INTO idx_case_record_geom (pkid, xmin, xmax, ymin, ymax)
                    SELECT NEW.ROWID, MbrMinX(NEW.geom), MbrMaxX(NEW.geom), MbrMinY(NEW.geom), MbrMaxY(NEW.geom) WHERE NEW.geom IS NOT NULL;
                END;
                """)
        }
        return m
    }
}
