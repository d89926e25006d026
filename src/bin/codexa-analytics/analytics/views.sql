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

-- One row per approval (stream `approval:<id>`), folded as `codexa
-- approvals` folds it: the first request opens it; `decision` is the latest
-- decision (approve, deny or hold; anything else is ignored); `status` is
-- approved, denied, held, pending, or expired once past `expires_at` (a
-- denial stays denied; an expiry that is not a time is ignored).
-- `answered_at` is the first approve or deny: the request's turnaround.
CREATE VIEW approvals AS
  WITH requested AS (
    SELECT stream.id AS approval_id, min(ev_ts) AS requested_at,
           arg_min(data, ord) AS data, arg_min(actor.id, ord) AS actor_id
    FROM _ordered
    WHERE type = 'approval.requested' AND stream.type = 'approval'
    GROUP BY ALL
  ), decided AS (
    SELECT stream.id AS approval_id,
           arg_max(data->>'decision', ord) AS decision,
           arg_max(coalesce(data->>'by', actor.id), ord) AS decided_by,
           max(ev_ts) AS decided_at,
           min(ev_ts) FILTER (WHERE data->>'decision' IN ('approve', 'deny')) AS answered_at,
           count(*) AS decisions
    FROM _ordered
    WHERE type = 'approval.decided' AND stream.type = 'approval'
      AND data->>'decision' IN ('approve', 'deny', 'hold')
    GROUP BY ALL
  ), folded AS (
    SELECT r.approval_id, r.requested_at,
           r.data->>'action' AS action, r.data->>'subject' AS subject,
           coalesce(r.data->>'kind', 'action') AS kind,
           coalesce(r.data->>'requested_by', r.actor_id) AS requested_by,
           r.data->>'reason' AS reason,
           TRY_CAST(rtrim(r.data->>'expires_at', 'Z') AS TIMESTAMP) AS expires_at,
           d.decision, d.decided_by, d.decided_at, d.answered_at,
           coalesce(d.decisions, 0) AS decisions
    FROM requested r LEFT JOIN decided d ON d.approval_id = r.approval_id
  )
  SELECT *,
         CASE
           WHEN decision = 'deny' THEN 'denied'
           WHEN expires_at IS NOT NULL AND expires_at <= getvariable('now') THEN 'expired'
           WHEN decision = 'approve' THEN 'approved'
           WHEN decision = 'hold' THEN 'held'
           ELSE 'pending'
         END AS status
  FROM folded;

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
-- attempts it took, and the delivery latency (the last attempt before the
-- confirmation, to the confirmation). `outcome`: delivered, blocked (a
-- governance refusal on the job's stream), failed, or pending; the reason
-- is the one of that outcome.
CREATE VIEW triggers AS
  WITH steps AS (
    SELECT * FROM _ordered
    WHERE stream.type = 'trigger' AND (type LIKE 'trigger.%' OR type = 'governance.blocked')
  ), delivered AS (
    SELECT stream.id AS job_id, min(ev_ts) AS delivered_at,
           arg_min(data->>'confirmed_by', ord) AS confirmed_by
    FROM steps WHERE type = 'trigger.delivered' GROUP BY ALL
  ), jobs AS (
    SELECT s.stream.id AS job_id,
           min(s.ev_ts) FILTER (WHERE s.type = 'trigger.requested') AS requested_at,
           arg_min(s.data->>'target', s.ord) FILTER (WHERE s.type = 'trigger.requested') AS target,
           arg_min(coalesce(s.data->>'requested_by', s.actor.id), s.ord) FILTER (WHERE s.type = 'trigger.requested') AS requested_by,
           count(*) FILTER (WHERE s.type = 'trigger.deferred') AS deferrals,
           count(*) FILTER (WHERE s.type = 'trigger.attempted') AS attempts,
           min(s.ev_ts) FILTER (WHERE s.type = 'trigger.attempted') AS first_attempt_at,
           max(s.ev_ts) FILTER (WHERE s.type = 'trigger.attempted'
                                AND (d.delivered_at IS NULL OR s.ev_ts <= d.delivered_at)) AS last_attempt_at,
           arg_max(s.data->>'method', s.ord) FILTER (WHERE s.type = 'trigger.attempted'
                                AND (d.delivered_at IS NULL OR s.ev_ts <= d.delivered_at)) AS method,
           any_value(d.delivered_at) AS delivered_at,
           any_value(d.confirmed_by) AS confirmed_by,
           min(s.ev_ts) FILTER (WHERE s.type = 'trigger.failed') AS failed_at,
           arg_min(s.data->>'reason_code', s.ord) FILTER (WHERE s.type = 'trigger.failed') AS failure,
           min(s.ev_ts) FILTER (WHERE s.type = 'governance.blocked') AS blocked_at,
           arg_min(s.data->>'reason_code', s.ord) FILTER (WHERE s.type = 'governance.blocked') AS block_reason
    FROM steps s LEFT JOIN delivered d ON d.job_id = s.stream.id
    GROUP BY ALL
  )
  SELECT job_id, requested_at, target, requested_by,
         CASE
           WHEN delivered_at IS NOT NULL THEN 'delivered'
           WHEN blocked_at IS NOT NULL THEN 'blocked'
           WHEN failed_at IS NOT NULL THEN 'failed'
           ELSE 'pending'
         END AS outcome,
         CASE
           WHEN delivered_at IS NOT NULL THEN NULL
           WHEN blocked_at IS NOT NULL THEN block_reason
           ELSE failure
         END AS reason_code,
         deferrals, attempts, method, coalesce(method = 'exec_resume', false) AS fell_back,
         confirmed_by,
         epoch_ms(first_attempt_at) - epoch_ms(requested_at) AS defer_ms,
         epoch_ms(delivered_at) - epoch_ms(last_attempt_at) AS latency_ms,
         CASE
           WHEN delivered_at IS NOT NULL THEN delivered_at
           WHEN blocked_at IS NOT NULL THEN blocked_at
           ELSE failed_at
         END AS finished_at
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
