// Live class mode, progressive enhancement: the pages work without this file (a refresh
// button, plain form posts). With it, the page follows the session's state: pushed as
// server-sent events where the server offers them (data-live-events: ASGI with Redis),
// otherwise asked every 700 ms (?since=<revision>: 204 when nothing changed). It updates the
// counts in place, and reloads when what it shows has changed (a new step, the reveal, a
// pause, the end). A stream that fails for good falls back to asking.
(function () {
  "use strict";
  var poll = document.getElementById("live-poll");
  if (!poll || !window.fetch) {
    return;
  }
  var url = poll.getAttribute("data-live-state");
  var eventsUrl = poll.getAttribute("data-live-events");
  var revision = Number(poll.getAttribute("data-live-revision"));
  var view = poll.getAttribute("data-live-view");
  var hidden = poll.getAttribute("data-live-hidden");
  var every = 700;
  var delay = every;
  var reloading = false;

  function setCount(name, value) {
    var nodes = document.querySelectorAll("[data-live-count='" + name + "']");
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].textContent !== String(value)) {
        nodes[i].textContent = String(value);
      }
    }
  }

  function apply(data) {
    if (reloading || data.revision < revision) {
      return; // an older state than the one shown
    }
    revision = data.revision;
    if (data.view !== view || (hidden !== null && String(data.hidden) !== hidden)) {
      reloading = true;
      window.location.reload();
      return;
    }
    setCount("joined", data.joined);
    setCount("voted", data.voted);
  }

  function tick() {
    if (reloading) {
      return;
    }
    if (document.hidden) {
      window.setTimeout(tick, every);
      return;
    }
    fetch(url + "?since=" + encodeURIComponent(String(revision)), {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (response.status === 204) {
          return null;
        }
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        delay = every;
        if (data) {
          apply(data);
        }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 10000); // a server restarting: ask less often for a while
      })
      .then(function () {
        if (!reloading) {
          window.setTimeout(tick, delay);
        }
      });
  }

  function listen() {
    var source = new window.EventSource(eventsUrl);
    source.onmessage = function (message) {
      apply(JSON.parse(message.data));
    };
    source.onerror = function () {
      // CONNECTING: the browser opens it again by itself (a worker restarting, the stream's
      // time up). CLOSED: the server refused it; ask instead.
      if (source.readyState === window.EventSource.CLOSED && !reloading) {
        window.setTimeout(tick, every);
      }
    };
  }

  if (eventsUrl && window.EventSource) {
    listen();
  } else {
    window.setTimeout(tick, every);
  }
})();
