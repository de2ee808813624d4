// The one-page scenario editor (admin), made nicer: steps, choices, red flags and options are
// added and removed in place from the page's <template>s, the "next" selects follow the steps'
// labels, and the checks are shown as the editor types. Without this file the page is one
// plain form whose "Add …" buttons save it and show it again with the new blank part.
// Labels are made as quizzes/scenarios/editor/labels.py makes them: keep the two in step.
(function () {
  "use strict";
  var form = document.getElementById("scenario-editor");
  var steps = document.getElementById("editor-steps");
  if (!form || !steps || !("content" in document.createElement("template"))) {
    return;
  }
  var NEW_STEP = "new";
  var GIST_LENGTH = 40;
  var WORD_SLACK = 12;
  var status = document.getElementById("editor-status");
  var problemsBox = document.getElementById("editor-problems");
  var data = form.dataset;

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (whole, name) {
      return values[name] === undefined ? "" : String(values[name]);
    });
  }

  function words(value) {
    return (value || "").split(/\s+/).filter(Boolean).join(" ");
  }

  function truncate(text) {
    var chars = Array.from(text);
    if (chars.length <= GIST_LENGTH) {
      return text;
    }
    var cut = chars.slice(0, GIST_LENGTH - 1);
    if (chars[cut.length] !== " ") {
      var space = cut.lastIndexOf(" ");
      if (space >= cut.length - WORD_SLACK) {
        cut = cut.slice(0, space);
      }
    }
    return cut.join("").replace(/\s+$/, "") + "…";
  }

  function stepField(item, name) {
    return form.querySelector('[name="s' + item.dataset.token + "-" + name + '"]');
  }

  function stepValue(item, name) {
    var field = stepField(item, name);
    return field ? field.value : "";
  }

  // What the step says, as labels.step_gist says it.
  function gist(item) {
    var kind = item.dataset.kind;
    var text = words(stepValue(item, "text"));
    if (kind === "decision" || kind === "spot") {
      return truncate(words(stepValue(item, "prompt")) || text);
    }
    if (kind === "message") {
      var sender = words(stepValue(item, "sender"));
      if (sender && text) {
        return truncate(format(data.messageGistFormat, { sender: sender, text: text }));
      }
      return truncate(sender || text);
    }
    if (kind === "ending") {
      var select = stepField(item, "outcome");
      var outcome = select && select.value ? select.options[select.selectedIndex].text : "";
      if (outcome && text) {
        return truncate(format(data.endingGistFormat, { outcome: outcome, text: text }));
      }
      return truncate(outcome || text);
    }
    return truncate(text);
  }

  function stepItems() {
    return Array.prototype.filter.call(steps.children, function (element) {
      return element.classList.contains("editor-step");
    });
  }

  function labelOf(item, number) {
    var said = gist(item);
    var values = { number: number, kind: item.dataset.kindLabel, gist: said };
    return format(said ? data.labelFormat : data.bareLabelFormat, values);
  }

  // Number and label the steps, renumber every list of parts, and fill the "next" selects.
  function refresh() {
    var entries = stepItems().map(function (item, index) {
      var label = labelOf(item, index + 1);
      var heading = item.querySelector("[data-step-label]");
      if (heading.textContent !== label) {
        heading.textContent = label;
      }
      return { token: item.dataset.token, label: label };
    });
    steps.querySelectorAll("select[data-next]").forEach(function (select) {
      var own = select.closest(".editor-step").dataset.token;
      var wanted = [["", select.options.length ? select.options[0].text : "---------"]];
      entries.forEach(function (entry) {
        if (entry.token !== own) {
          wanted.push([entry.token, entry.label]);
        }
      });
      wanted.push([NEW_STEP, data.newStep]);
      fillSelect(select, wanted);
      showNewKind(select);
    });
    steps.querySelectorAll("ol.editor-parts").forEach(function (list) {
      Array.prototype.forEach.call(list.children, function (item, index) {
        var number = item.querySelector("[data-number]");
        if (number) {
          number.textContent = String(index + 1);
        }
      });
    });
  }

  function fillSelect(select, wanted) {
    var options = select.options;
    var same = options.length === wanted.length && wanted.every(function (pair, index) {
      return options[index].value === pair[0];
    });
    if (same) {
      wanted.forEach(function (pair, index) {
        if (options[index].text !== pair[1]) {
          options[index].text = pair[1];
        }
      });
      return;
    }
    var value = select.value;
    select.textContent = "";
    wanted.forEach(function (pair) {
      select.appendChild(new Option(pair[1], pair[0]));
    });
    var still = wanted.some(function (pair) { return pair[0] === value; });
    select.value = still ? value : "";
  }

  function showNewKind(select) {
    var row = select.closest(".form-row");
    var kind = row && row.querySelector("[data-next-new]");
    if (kind) {
      kind.hidden = select.value !== NEW_STEP;
    }
  }

  // --- adding and removing in place ---

  var counter = 0;

  function freshToken() {
    var token;
    do {
      counter += 1;
      token = "n" + counter;
    } while (form.querySelector('[value="' + token + '"], [name*="' + token + '-"]'));
    return token;
  }

  function fromTemplate(id, replacements) {
    var html = document.getElementById(id).innerHTML;
    Object.keys(replacements).forEach(function (placeholder) {
      html = html.split(placeholder).join(replacements[placeholder]);
    });
    var holder = document.createElement("template");
    holder.innerHTML = html;
    return holder.content.firstElementChild;
  }

  function firstField(element) {
    return element.querySelector("input:not([type=hidden]):not([type=checkbox]), textarea, select");
  }

  function announce(message) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function added(element, label) {
    enhance(element);
    refresh();
    var field = firstField(element);
    if (field) {
      field.focus();
    }
    announce(format(data.added, { label: label() }));
    scheduleCheck();
  }

  function addStep(kind) {
    var item = fromTemplate("editor-template-" + kind, { "__T__": freshToken() });
    steps.appendChild(item);
    added(item, function () { return item.querySelector("[data-step-label]").textContent; });
  }

  function addPart(button) {
    var item = button.closest(".editor-step");
    var part = fromTemplate("editor-template-" + button.dataset.addPart, {
      "__T__": item.dataset.token,
      "__C__": freshToken(),
    });
    button.parentNode.querySelector("ol.editor-parts").appendChild(part);
    added(part, function () { return part.querySelector("legend").textContent.trim(); });
  }

  function remove(button) {
    var part = button.closest(".editor-part");
    var element = part || button.closest(".editor-step");
    var label = part
      ? part.querySelector("legend").textContent.trim()
      : element.querySelector("[data-step-label]").textContent;
    var after = element.nextElementSibling || element.parentNode.parentNode.querySelector(
      part ? "[data-add-part]" : "[data-add-step]"
    ) || document.querySelector("[data-add-step]");
    element.remove();
    refresh();
    var target = after && (after.matches("button") ? after : firstField(after));
    if (target) {
      target.focus();
    }
    announce(format(data.removed, { label: label }));
    scheduleCheck();
  }

  // The buttons that need this script replace the "remove when saving" boxes.
  function enhance(root) {
    root.querySelectorAll("[data-remove]").forEach(function (button) {
      button.hidden = false;
    });
    root.querySelectorAll(".editor-remove-check").forEach(function (label) {
      label.hidden = true;
      label.querySelector("input").checked = false;
    });
    root.querySelectorAll("select[data-next]").forEach(showNewKind);
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button || !form.contains(button)) {
      return;
    }
    if (button.dataset.addStep) {
      event.preventDefault();
      addStep(button.dataset.addStep);
    } else if (button.dataset.addPart) {
      event.preventDefault();
      addPart(button);
    } else if (button.hasAttribute("data-remove")) {
      event.preventDefault();
      remove(button);
    }
  });

  // --- the checks, as the editor types ---

  var touched = {};
  var timer = null;
  var pending = null;

  function scheduleCheck() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 600);
  }

  function check() {
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    fetch(data.checkUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      signal: pending.signal,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (body) {
        showProblems(body.problems);
        showErrors(body.errors);
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          problemsBox.textContent = "";
          var note = document.createElement("p");
          note.textContent = data.checkFailed;
          problemsBox.appendChild(note);
        }
      });
  }

  function showProblems(problems) {
    problemsBox.textContent = "";
    if (!problems.length) {
      var none = document.createElement("p");
      none.textContent = data.noProblems;
      problemsBox.appendChild(none);
      return;
    }
    var list = document.createElement("ul");
    list.className = "editor-problem-list";
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.className = "editor-problem-" + problem.severity;
      if (problem.severity === "advice") {
        var strong = document.createElement("strong");
        strong.textContent = data.advice;
        item.appendChild(strong);
        item.appendChild(document.createTextNode(" "));
      }
      if (problem.anchor) {
        var link = document.createElement("a");
        link.href = "#" + problem.anchor;
        link.textContent = problem.label;
        item.appendChild(link);
        item.appendChild(document.createTextNode(": "));
      }
      item.appendChild(document.createTextNode(problem.message));
      list.appendChild(item);
    });
    problemsBox.appendChild(list);
  }

  // A field's problems are shown once the editor has touched it (or it showed some already);
  // a quote's whenever it is filled in, since editing the text can make it wrong or right.
  function showErrors(errors) {
    form.querySelectorAll(".form-row[data-field]").forEach(function (row) {
      var name = row.dataset.field;
      var field = row.querySelector('[name="' + name + '"]');
      var quote = /-quote$/.test(name) && field && field.value;
      if (!field || !(touched[name] || quote || row.classList.contains("errors"))) {
        return;
      }
      setErrors(row, field, errors[name] || []);
    });
  }

  function setErrors(row, field, messages) {
    var id = field.id + "_error";
    var old = row.querySelector(":scope > ul.errorlist");
    if (old) {
      old.remove();
    }
    var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(function (part) {
      return part && part !== id;
    });
    row.classList.toggle("errors", messages.length > 0);
    if (messages.length) {
      var list = document.createElement("ul");
      list.className = "errorlist";
      list.id = id;
      messages.forEach(function (message) {
        var item = document.createElement("li");
        item.textContent = message;
        list.appendChild(item);
      });
      row.insertBefore(list, row.firstChild);
      field.setAttribute("aria-invalid", "true");
      described.push(id);
    } else {
      field.removeAttribute("aria-invalid");
    }
    if (described.length) {
      field.setAttribute("aria-describedby", described.join(" "));
    } else {
      field.removeAttribute("aria-describedby");
    }
  }

  function edited(event) {
    var target = event.target;
    if (!target.name || target.closest("template")) {
      return;
    }
    touched[target.name] = true;
    refresh();
    scheduleCheck();
  }

  form.addEventListener("input", edited);
  form.addEventListener("change", edited);

  enhance(form);
  refresh();
})();
