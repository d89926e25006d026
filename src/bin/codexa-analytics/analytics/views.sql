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

-- Runs (stream `run:<run_id>`), folded as `codexa run show` folds them.
-- `_run_events` keeps what that fold applies: after a run's first
-- completed, failed or cancelled event only the ends of its tool calls
-- (a run that ended never changes, but a call it started may finish),
-- and no claim whose fence is not above every earlier claim's (when two
-- clones claimed one run between syncs, the earlier claim stands). The
-- remaining conflicts `run show` lists (a step the status forbids, under
-- a lease since replaced) arise only from two clones acting on one run
-- between syncs; `run show` is the word on those.
CREATE VIEW _run_events AS
  WITH typed AS (
    SELECT stream.id AS run_id, id, type, ev_ts, ord, actor.id AS actor_id,
           correlation_id, data, TRY_CAST(data->>'fence' AS BIGINT) AS fence
    FROM _ordered WHERE stream.type IN ('run', 'run_work') AND type LIKE 'run.%'
  ), marked AS (
    SELECT *,
           min(ord) FILTER (WHERE type IN ('run.completed', 'run.failed', 'run.cancelled'))
             OVER (PARTITION BY run_id) AS end_ord,
           max(fence) FILTER (WHERE type = 'run.claimed')
             OVER (PARTITION BY run_id ORDER BY ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
             AS fence_before
    FROM typed
  )
  SELECT * EXCLUDE (end_ord, fence_before) FROM marked
  WHERE (end_ord IS NULL OR ord <= end_ord
         OR type IN ('run.toolcall_succeeded', 'run.toolcall_failed'))
    AND NOT (type = 'run.claimed' AND coalesce(fence <= fence_before, false));

-- One row per run. `status` is queued, claimed, running, completed,
-- failed or cancelled; `worker` and `fence` are the latest lease's (the
-- holder now, or the last one before the run ended or went back to the
-- queue); `lease_expires_at` only while a lease is held, and
-- `lease_overdue` when it has run out at the time of asking but nothing
-- has recorded the expiry yet. `claimed_at` and `started_at` are of the
-- latest lease (a run claimed again after an expiry starts over), so
-- `run_ms` (started to ended) is the attempt that finished;
-- `queue_wait_ms` is created to the first claim, `total_ms` created to
-- ended.
CREATE VIEW runs AS
  WITH folded AS (
    SELECT run_id,
           min(ev_ts) FILTER (WHERE type = 'run.created') AS created_at,
           arg_min(data, ord) FILTER (WHERE type = 'run.created') AS created,
           arg_min(actor_id, ord) FILTER (WHERE type = 'run.created') AS created_by,
           arg_min(correlation_id, ord) FILTER (WHERE type = 'run.created') AS correlation_id,
           arg_max(type, ord) FILTER (WHERE type IN ('run.claimed', 'run.started', 'run.released',
             'run.lease_expired', 'run.completed', 'run.failed', 'run.cancelled')) AS last_move,
           count(*) FILTER (WHERE type = 'run.claimed') AS claims,
           min(ev_ts) FILTER (WHERE type = 'run.claimed') AS first_claimed_at,
           max(ev_ts) FILTER (WHERE type = 'run.claimed') AS claimed_at,
           arg_max(fence, ord) FILTER (WHERE type = 'run.claimed') AS fence,
           arg_max(data->>'worker', ord) FILTER (WHERE type = 'run.claimed') AS worker,
           arg_max(data->>'expires_at', ord)
             FILTER (WHERE type IN ('run.claimed', 'run.heartbeat', 'run.lease_renewed')) AS expires_at,
           max(ev_ts) FILTER (WHERE type = 'run.started') AS last_started_at,
           arg_max(fence, ord) FILTER (WHERE type = 'run.started') AS started_fence,
           min(ev_ts) FILTER (WHERE type IN ('run.completed', 'run.failed', 'run.cancelled')) AS ended_at,
           arg_min(data->>'reason', ord) FILTER (WHERE type = 'run.failed') AS failure_reason,
           arg_min(data->>'reason', ord) FILTER (WHERE type = 'run.cancelled') AS cancel_reason,
           arg_min(data->'output', ord) FILTER (WHERE type = 'run.completed') AS output,
           count(*) FILTER (WHERE type = 'run.heartbeat') AS heartbeats,
           count(*) FILTER (WHERE type = 'run.lease_renewed') AS lease_renewals,
           count(*) FILTER (WHERE type = 'run.lease_expired') AS lease_expiries,
           count(*) FILTER (WHERE type = 'run.step_added') AS steps,
           count(*) FILTER (WHERE type = 'run.toolcall_started') AS tool_calls,
           count(*) FILTER (WHERE type = 'run.artifact_added') AS artifacts,
           max(ev_ts) AS updated_at
    FROM _run_events GROUP BY ALL
  ), placed AS (
    SELECT *,
           CASE last_move
             WHEN 'run.claimed' THEN 'claimed'
             WHEN 'run.started' THEN 'running'
             WHEN 'run.completed' THEN 'completed'
             WHEN 'run.failed' THEN 'failed'
             WHEN 'run.cancelled' THEN 'cancelled'
             ELSE 'queued'
           END AS status,
           CASE WHEN started_fence = fence THEN last_started_at END AS started_at
    FROM folded WHERE created_at IS NOT NULL
  )
  SELECT run_id, correlation_id, created->>'title' AS title,
         coalesce(created->>'kind', 'default') AS kind, created->>'for' AS for_participant,
         created->'input' AS input, created_by, created_at, status, worker, fence, claims,
         first_claimed_at, claimed_at, started_at, ended_at,
         CASE WHEN status IN ('claimed', 'running')
              THEN TRY_CAST(rtrim(expires_at, 'Z') AS TIMESTAMP) END AS lease_expires_at,
         coalesce(status IN ('claimed', 'running')
                  AND TRY_CAST(rtrim(expires_at, 'Z') AS TIMESTAMP) <= getvariable('now'), false)
           AS lease_overdue,
         epoch_ms(first_claimed_at) - epoch_ms(created_at) AS queue_wait_ms,
         epoch_ms(ended_at) - epoch_ms(started_at) AS run_ms,
         epoch_ms(ended_at) - epoch_ms(created_at) AS total_ms,
         heartbeats, lease_renewals, lease_expiries, failure_reason, cancel_reason, output,
         steps, tool_calls, artifacts, updated_at
  FROM placed;

-- One row per tool call of a run's step (`tc_` and the ULID of the event
-- that started it): `status` running, succeeded or failed (its first
-- ending counts), `duration_ms` as recorded (start to end).
CREATE VIEW tool_calls AS
  WITH ended AS (
    SELECT data->>'toolcall' AS toolcall_id, arg_min(type, ord) AS type,
           min(ev_ts) AS ended_at,
           arg_min(TRY_CAST(data->>'duration_ms' AS BIGINT), ord) AS duration_ms,
           arg_min(data->>'error', ord) AS error, arg_min(data->'output', ord) AS output
    FROM _run_events WHERE type IN ('run.toolcall_succeeded', 'run.toolcall_failed')
    GROUP BY ALL
  )
  SELECT 'tc_' || substr(s.id, 5) AS toolcall_id, s.run_id, s.data->>'step' AS step_id,
         s.data->>'tool' AS tool, coalesce(s.data->>'source', 'command') AS source,
         s.data->>'tool_use_id' AS tool_use_id, s.data->'input' AS input,
         s.ev_ts AS started_at, s.actor_id AS started_by,
         CASE e.type
           WHEN 'run.toolcall_succeeded' THEN 'succeeded'
           WHEN 'run.toolcall_failed' THEN 'failed'
           ELSE 'running'
         END AS status,
         e.ended_at, coalesce(e.duration_ms, epoch_ms(e.ended_at) - epoch_ms(s.ev_ts)) AS duration_ms,
         e.error, e.output
  FROM _run_events s LEFT JOIN ended e ON e.toolcall_id = 'tc_' || substr(s.id, 5)
  WHERE s.type = 'run.toolcall_started';

-- One row per step of a run (`step_` and the ULID of the event that added
-- it), with its tool calls (`tool_ms` their recorded time) and artifacts.
CREATE VIEW steps AS
  WITH calls AS (
    SELECT step_id, count(*) AS tool_calls,
           count(*) FILTER (WHERE status = 'failed') AS tool_calls_failed,
           count(*) FILTER (WHERE status = 'running') AS tool_calls_running,
           CAST(sum(duration_ms) AS BIGINT) AS tool_ms
    FROM tool_calls GROUP BY ALL
  ), made AS (
    SELECT data->>'step' AS step_id, count(*) AS artifacts
    FROM _run_events WHERE type = 'run.artifact_added' GROUP BY ALL
  )
  SELECT 'step_' || substr(s.id, 5) AS step_id, s.run_id, s.data->>'name' AS name,
         s.ev_ts AS added_at, s.actor_id AS added_by,
         coalesce(c.tool_calls, 0) AS tool_calls,
         coalesce(c.tool_calls_failed, 0) AS tool_calls_failed,
         coalesce(c.tool_calls_running, 0) AS tool_calls_running,
         coalesce(c.tool_ms, 0) AS tool_ms, coalesce(m.artifacts, 0) AS artifacts
  FROM _run_events s
  LEFT JOIN calls c ON c.step_id = 'step_' || substr(s.id, 5)
  LEFT JOIN made m ON m.step_id = 'step_' || substr(s.id, 5)
  WHERE s.type = 'run.step_added';

-- One row per incident (stream `incident:inc_<ULID>`): open until its
-- first `incident.resolved`; `open_ms` is how long it has been open (to
-- the time of asking) or was (to its resolution).
CREATE VIEW incidents AS
  WITH folded AS (
    SELECT stream.id AS incident_id,
           min(ev_ts) FILTER (WHERE type = 'incident.opened') AS opened_at,
           arg_min(data, ord) FILTER (WHERE type = 'incident.opened') AS opened,
           arg_min(actor.id, ord) FILTER (WHERE type = 'incident.opened') AS opened_by,
           min(ev_ts) FILTER (WHERE type = 'incident.resolved') AS resolved_at,
           arg_min(actor.id, ord) FILTER (WHERE type = 'incident.resolved') AS resolved_by,
           arg_min(data->>'resolution', ord) FILTER (WHERE type = 'incident.resolved') AS resolution
    FROM _ordered WHERE stream.type = 'incident' AND type LIKE 'incident.%'
    GROUP BY ALL
  )
  SELECT incident_id, opened->>'title' AS title, opened->>'severity' AS severity,
         CASE WHEN resolved_at IS NULL THEN 'open' ELSE 'resolved' END AS status,
         opened->>'run' AS run_id, opened->>'key' AS key, opened->>'detail' AS detail,
         opened_at, opened_by, resolved_at, resolved_by, resolution,
         epoch_ms(coalesce(resolved_at, getvariable('now'))) - epoch_ms(opened_at) AS open_ms
  FROM folded WHERE opened_at IS NOT NULL;
