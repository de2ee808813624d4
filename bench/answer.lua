-- POSTs the same answer again and again: after the first, each is an idempotent repeat,
-- which exercises the whole answer path (lock, lookup, redirect) without growing the data.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = os.getenv("ANSWER_BODY")
