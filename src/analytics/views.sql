-- The views `codexa sql` and the reports read, over the table `raw` (one
-- row per line of the log, typed as the envelope). Times are UTC TIMESTAMPs.
-- `ord` (the envelope's ts text then id) orders events the way the store
-- does, so "the latest" below means what it means to the commands.
-- `getvariable('now')` is the time the question is asked (the frozen test
-- clock under CODEXA_TEST_NOW).

CREATE VIEW events AS
  SELECT id, seq, CAST(rtrim(ts, 'Z') AS TIMESTAMP) AS ts, writer,
         actor.kind AS actor_kind, actor.id AS actor_id, type,
         stream.type AS stream_type, stream.id AS stream_id,
         correlation_id, causation_id, idempotency_key, data, provenance, prev, hash
  FROM raw;

CREATE VIEW _ordered AS
  SELECT *, CAST(rtrim(ts, 'Z') AS TIMESTAMP) AS ev_ts, ts || id AS ord FROM raw;

CREATE VIEW messages AS
  SELECT 'msg_' || substr(id, 5) AS message_id, stream.id AS thread_id, ev_ts AS ts,
         actor.kind AS actor_kind, actor.id AS actor_id, data->>'body' AS body,
         data->>'reply_to' AS reply_to, data->'mentions' AS mentions
  FROM _ordered WHERE type = 'message.posted';

CREATE VIEW threads AS
  WITH posted AS (
    SELECT stream.id AS thread_id, count(*) AS messages, max(ev_ts) AS last_message_at
    FROM _ordered WHERE type = 'message.posted' GROUP BY ALL
  ), closed AS (
    SELECT stream.id AS thread_id, max(ev_ts) AS closed_at
    FROM _ordered WHERE type = 'thread.closed' GROUP BY ALL
  )
  SELECT t.stream.id AS thread_id, t.ev_ts AS created_at, t.actor.id AS created_by,
         t.data->>'title' AS title, t.data->>'room' AS room,
         t.data->'participants' AS participants,
         coalesce(p.messages, 0) AS messages, p.last_message_at, c.closed_at
  FROM _ordered t
  LEFT JOIN posted p ON p.thread_id = t.stream.id
  LEFT JOIN closed c ON c.thread_id = t.stream.id
  WHERE t.type = 'thread.created';

-- One row per request. `decision` is the latest decision (approve, deny or
-- hold); `status` folds it as `codexa approvals` does: approved, denied,
-- held, pending, or expired once past `expires_at` (a denial stays denied).
-- `answered_at` is the first approve or deny: the request's turnaround.
CREATE VIEW approvals AS
  WITH decided AS (
    SELECT stream.id AS approval_id,
           arg_max(data->>'decision', ord) AS decision,
           arg_max(coalesce(data->>'by', actor.id), ord) AS decided_by,
           max(ev_ts) AS decided_at,
           min(ev_ts) FILTER (WHERE data->>'decision' IN ('approve', 'deny')) AS answered_at,
           count(*) AS decisions
    FROM _ordered
    WHERE type = 'approval.decided' AND data->>'decision' IN ('approve', 'deny', 'hold')
    GROUP BY ALL
  )
  SELECT r.stream.id AS approval_id, r.ev_ts AS requested_at,
         r.data->>'action' AS action, r.data->>'subject' AS subject,
         coalesce(r.data->>'kind', 'action') AS kind,
         coalesce(r.data->>'requested_by', r.actor.id) AS requested_by,
         r.data->>'reason' AS reason,
         CAST(rtrim(r.data->>'expires_at', 'Z') AS TIMESTAMP) AS expires_at,
         d.decision, d.decided_by, d.decided_at, d.answered_at,
         coalesce(d.decisions, 0) AS decisions,
         CASE
           WHEN d.decision = 'deny' THEN 'denied'
           WHEN r.data->>'expires_at' IS NOT NULL
                AND CAST(rtrim(r.data->>'expires_at', 'Z') AS TIMESTAMP) <= getvariable('now')
             THEN 'expired'
           WHEN d.decision = 'approve' THEN 'approved'
           WHEN d.decision = 'hold' THEN 'held'
           ELSE 'pending'
         END AS status
  FROM _ordered r
  LEFT JOIN decided d ON d.approval_id = r.stream.id
  WHERE r.type = 'approval.requested';

CREATE VIEW policy_decisions AS
  SELECT ev_ts AS ts, id AS event_id, data->>'action' AS action, data->>'subject' AS subject,
         data->>'zone' AS zone, data->>'actor' AS actor, data->>'role' AS role,
         data->>'decision' AS decision, data->>'reason_code' AS reason_code,
         data->>'rule' AS rule, data->>'approval' AS approval
  FROM _ordered WHERE type = 'policy.evaluated';

CREATE VIEW governance_blocks AS
  SELECT ev_ts AS ts, id AS event_id, stream.type AS stream_type, stream.id AS stream_id,
         data->>'action' AS action, data->>'participant' AS participant,
         data->>'reason_code' AS reason_code, data->>'message' AS message
  FROM _ordered WHERE type = 'governance.blocked';

-- One row per trigger job (stream `trigger:<job>`): how long delivery was
-- deferred while the pane was busy (request to first attempt), how many
-- attempts it took, and the delivery latency (last attempt to the
-- confirmed delivery). `outcome`: delivered, failed, blocked (a governance
-- refusal on the job's stream), or pending.
CREATE VIEW triggers AS
  WITH jobs AS (
    SELECT stream.id AS job_id,
           min(ev_ts) FILTER (WHERE type = 'trigger.requested') AS requested_at,
           arg_min(data->>'target', ord) FILTER (WHERE type = 'trigger.requested') AS target,
           arg_min(coalesce(data->>'requested_by', actor.id), ord) FILTER (WHERE type = 'trigger.requested') AS requested_by,
           count(*) FILTER (WHERE type = 'trigger.deferred') AS deferrals,
           count(*) FILTER (WHERE type = 'trigger.attempted') AS attempts,
           min(ev_ts) FILTER (WHERE type = 'trigger.attempted') AS first_attempt_at,
           max(ev_ts) FILTER (WHERE type = 'trigger.attempted') AS last_attempt_at,
           arg_max(data->>'method', ord) FILTER (WHERE type = 'trigger.attempted') AS method,
           min(ev_ts) FILTER (WHERE type = 'trigger.delivered') AS delivered_at,
           arg_min(data->>'confirmed_by', ord) FILTER (WHERE type = 'trigger.delivered') AS confirmed_by,
           min(ev_ts) FILTER (WHERE type = 'trigger.failed') AS failed_at,
           arg_min(data->>'reason_code', ord) FILTER (WHERE type = 'trigger.failed') AS failure,
           min(ev_ts) FILTER (WHERE type = 'governance.blocked') AS blocked_at,
           arg_min(data->>'reason_code', ord) FILTER (WHERE type = 'governance.blocked') AS block_reason
    FROM _ordered
    WHERE stream.type = 'trigger' AND (type LIKE 'trigger.%' OR type = 'governance.blocked')
    GROUP BY ALL
  )
  SELECT job_id, requested_at, target, requested_by,
         CASE
           WHEN delivered_at IS NOT NULL THEN 'delivered'
           WHEN blocked_at IS NOT NULL THEN 'blocked'
           WHEN failed_at IS NOT NULL THEN 'failed'
           ELSE 'pending'
         END AS outcome,
         coalesce(failure, block_reason) AS reason_code,
         deferrals, attempts, method, method = 'exec_resume' AS fell_back, confirmed_by,
         epoch_ms(first_attempt_at) - epoch_ms(requested_at) AS defer_ms,
         CASE WHEN delivered_at IS NOT NULL
              THEN epoch_ms(delivered_at) - epoch_ms(last_attempt_at) END AS latency_ms,
         coalesce(delivered_at, blocked_at, failed_at) AS finished_at
  FROM jobs WHERE requested_at IS NOT NULL;

CREATE VIEW agent_sessions AS
  SELECT stream.id AS session_id, arg_min(data->>'provider', ord) AS provider,
         arg_max(data->>'participant', ord) AS participant, arg_max(data->>'pane', ord) AS pane,
         min(ev_ts) AS first_seen, max(ev_ts) AS last_seen,
         arg_max(data->>'activity', ord) AS activity, arg_max(type, ord) AS last_event,
         count(*) FILTER (WHERE type = 'agent.turn_started') AS turns,
         count(*) FILTER (WHERE type IN ('agent.waiting_approval', 'agent.waiting_input')) AS waits,
         max(ev_ts) FILTER (WHERE type = 'agent.session_ended') AS ended_at
  FROM _ordered WHERE type LIKE 'agent.%' GROUP BY ALL;

CREATE VIEW discover_runs AS
  SELECT ev_ts AS ts, id AS event_id, stream.id AS scope, data->>'head' AS head,
         data->>'focus' AS focus,
         CAST(data->>'files' AS BIGINT) AS files, CAST(data->>'code' AS BIGINT) AS code,
         CAST(data->>'commits' AS BIGINT) AS commits,
         CAST(data->>'components' AS BIGINT) AS components,
         CAST(data->'hotspots' AS VARCHAR[]) AS hotspots,
         json_array_length(data->'zones') AS zones,
         CAST(data->>'cached_files' AS BIGINT) AS cached_files,
         list_sum(map_values(CAST(data->'timings_ms' AS MAP(VARCHAR, BIGINT)))) AS total_ms,
         data->'timings_ms' AS timings_ms
  FROM _ordered WHERE type = 'discover.completed';
