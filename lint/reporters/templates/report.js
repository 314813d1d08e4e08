// contentlint HTML report: renders the document table and the findings from the JSON block, lazily.
// Article text only ever reaches the page through textContent / createTextNode, never as markup.
(() => {
  "use strict";
  const SEVERITIES = ["error", "warning", "info"];
  const CHUNK = 200;
  // Finding fields (see lint/reporters/html_format.py, Payload).
  const FILE = 0, RULE = 1, SEV = 2, LINE = 3, COL = 4, END_LINE = 5, END_COL = 6, MSG = 7, FIELD = 8,
    SUGGESTION = 9, FIX = 10, BEFORE = 11, SPAN = 12, AFTER = 13, CUT = 14;
  // File fields.
  const PATH = 0, GRADE = 4, TARGET = 5, AUDIENCE = 6;

  const data = JSON.parse(document.getElementById("report-data").textContent);
  const { files, findings, strings, rules } = data;
  const ruleCategory = rules.map((id) => id.split("/")[0]);
  const byFile = files.map(() => []);
  findings.forEach((finding, index) => byFile[finding[FILE]].push(index));

  const $ = (id) => document.getElementById(id);
  const tbody = $("doc-table").tBodies[0];
  const detail = $("detail");
  const tableEnd = $("table-end");
  const filterInputs = {
    severity: $("filter-severity"), category: $("filter-category"), rule: $("filter-rule"), text: $("filter-text"),
  };

  const state = {
    matched: byFile, // per file: indexes of the findings that pass the filters
    counts: null, // per file: [errors, warnings, infos] among matched findings
    rows: [], // file indexes in table order
    rowOf: new Int32Array(files.length), // file index -> position in rows, -1 when filtered out
    rendered: 0, // table rows in the DOM
    sort: { key: "errors", descending: true },
    file: -1, // the open document
    position: -1, // the current finding, as a position in state.matched[state.file]
    shownFindings: 0, // finding cards of the open document in the DOM
    filtering: false,
  };
  let haystack = null;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // A path as text with a line-break opportunity after each slash, so long paths wrap between folders.
  function pathNodes(path) {
    const nodes = [];
    path.split("/").forEach((part, i, parts) => {
      nodes.push(document.createTextNode(i < parts.length - 1 ? `${part}/` : part));
      if (i < parts.length - 1) nodes.push(document.createElement("wbr"));
    });
    return nodes;
  }

  function plural(count, noun) {
    return `${count} ${noun}${count === 1 || noun === "info" ? "" : "s"}`;
  }

  function string(index) {
    return index >= 0 ? strings[index] : null;
  }

  // --- filtering -------------------------------------------------------------------------------------
  function searchText(index) {
    if (haystack === null) {
      haystack = findings.map((f) => [files[f[FILE]][PATH], rules[f[RULE]], string(f[MSG]), string(f[FIELD]) || "",
        string(f[SUGGESTION]) || "", f[SPAN]].join("\n").toLowerCase());
    }
    return haystack[index];
  }

  function applyFilters() {
    const severity = filterInputs.severity.value === "" ? -1 : Number(filterInputs.severity.value);
    const category = filterInputs.category.value;
    const rule = filterInputs.rule.value === "" ? -1 : Number(filterInputs.rule.value);
    const text = filterInputs.text.value.trim().toLowerCase();
    state.filtering = severity >= 0 || category !== "" || rule >= 0 || text !== "";
    if (!state.filtering) {
      state.matched = byFile;
    } else {
      state.matched = byFile.map((list) => list.filter((i) => {
        const f = findings[i];
        return (severity < 0 || f[SEV] === severity) && (rule < 0 || f[RULE] === rule) &&
          (category === "" || ruleCategory[f[RULE]] === category) && (text === "" || searchText(i).includes(text));
      }));
    }
    state.counts = state.matched.map((list) => {
      const counts = [0, 0, 0];
      for (const i of list) counts[findings[i][SEV]] += 1;
      return counts;
    });
    const shown = [];
    for (let file = 0; file < files.length; file += 1) {
      if (!state.filtering || state.matched[file].length > 0) shown.push(file);
    }
    state.rows = shown;
    const total = shown.reduce((sum, file) => sum + state.matched[file].length, 0);
    $("match-count").textContent = `${total} of ${findings.length} findings in ${shown.length} of ${files.length} documents`;
    sortRows();
    const keep = state.file >= 0 && state.rowOf[state.file] >= 0 ? state.file : -1;
    openFile(keep, -1, false);
  }

  // --- the document table --------------------------------------------------------------------------------
  const SORT_KEYS = {
    path: (file) => files[file][PATH],
    errors: (file) => state.counts[file][0],
    warnings: (file) => state.counts[file][1],
    infos: (file) => state.counts[file][2],
    grade: (file) => (files[file][GRADE] === null ? -Infinity : files[file][GRADE]),
  };

  function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function sortRows() {
    const { key, descending } = state.sort;
    const value = SORT_KEYS[key];
    const sign = descending ? -1 : 1;
    const severityOrder = (a, b) => compare(state.counts[b][0], state.counts[a][0]) ||
      compare(state.counts[b][1], state.counts[a][1]) || compare(state.counts[b][2], state.counts[a][2]);
    state.rows.sort((a, b) => sign * compare(value(a), value(b)) || severityOrder(a, b) ||
      compare(files[a][PATH], files[b][PATH]));
    state.rowOf.fill(-1);
    state.rows.forEach((file, row) => { state.rowOf[file] = row; });
    for (const th of document.querySelectorAll("#doc-table th")) {
      const button = th.querySelector("button");
      th.setAttribute("aria-sort", button.dataset.sort === key ? (descending ? "descending" : "ascending") : "none");
    }
    tbody.replaceChildren();
    state.rendered = 0;
    renderRows(CHUNK);
  }

  function renderRows(upTo) {
    const end = Math.min(state.rows.length, Math.max(upTo, state.rendered));
    const fragment = document.createDocumentFragment();
    for (let row = state.rendered; row < end; row += 1) fragment.append(tableRow(state.rows[row]));
    tbody.append(fragment);
    state.rendered = end;
    tableEnd.textContent = files.length === 0 ? "No documents were checked." :
      state.rows.length === 0 ? "No document matches the filters." :
      `Showing ${state.rendered} of ${state.rows.length} documents${state.rendered < state.rows.length ? " (scroll for more)" : ""}.`;
  }

  function tableRow(file) {
    const row = el("tr");
    row.dataset.file = String(file);
    row.setAttribute("aria-selected", String(file === state.file));
    const cell = el("td", "path");
    const link = el("a");
    link.append(...pathNodes(files[file][PATH]));
    link.href = "#detail";
    link.dataset.file = String(file);
    cell.append(link);
    row.append(cell);
    for (const count of state.counts[file]) row.append(el("td", "n", count));
    const grade = files[file][GRADE];
    const gradeCell = el("td", "n", grade === null ? "–" : grade.toFixed(1));
    if (grade !== null && files[file][TARGET] !== null) {
      gradeCell.title = `target ${files[file][TARGET]}${files[file][AUDIENCE] ? ` (${files[file][AUDIENCE]})` : ""}`;
    }
    row.append(gradeCell);
    return row;
  }

  function rowElement(file) {
    const row = state.rowOf[file];
    if (row < 0) return null;
    if (row >= state.rendered) renderRows(row + CHUNK);
    return tbody.rows[row] || null;
  }

  // --- the findings of one document ----------------------------------------------------------------------
  function openFile(file, position, focus) {
    const previous = state.file >= 0 ? rowElement(state.file) : null;
    if (previous) previous.setAttribute("aria-selected", "false");
    state.file = file;
    state.position = -1;
    state.shownFindings = 0;
    detail.replaceChildren();
    if (file < 0) {
      detail.append(el("p", "muted", "Choose a document, or press j for the first finding."));
      return;
    }
    const row = rowElement(file);
    if (row) {
      row.setAttribute("aria-selected", "true");
      row.scrollIntoView({ block: "nearest" });
    }
    const head = el("div", "doc-head");
    const title = el("h3");
    title.append(...pathNodes(files[file][PATH]));
    head.append(title);
    const [errors, warnings, infos] = state.counts[file];
    let line = `${plural(errors, "error")}, ${plural(warnings, "warning")}, ${plural(infos, "info")}`;
    if (state.filtering) line += ` matching the filters (${byFile[file].length} in all)`;
    if (files[file][GRADE] !== null) {
      line += `; reading grade ${files[file][GRADE].toFixed(1)}`;
      if (files[file][TARGET] !== null) line += ` (target ${files[file][TARGET]}${files[file][AUDIENCE] ? `, ${files[file][AUDIENCE]}` : ""})`;
    }
    head.append(el("p", "muted", line));
    detail.append(head);
    const list = el("div", "findings");
    detail.append(list);
    if (state.matched[file].length === 0) {
      list.append(el("p", "muted", byFile[file].length === 0 ? "No findings: this document is clean." :
        "No finding of this document matches the filters."));
    }
    renderFindings(CHUNK);
    if (position >= 0) setCurrent(position);
    if (focus) detail.focus({ preventScroll: true });
  }

  function renderFindings(upTo) {
    const matched = state.matched[state.file];
    const list = detail.querySelector(".findings");
    const more = detail.querySelector(".more");
    if (more) more.remove();
    const end = Math.min(matched.length, Math.max(upTo, state.shownFindings));
    const fragment = document.createDocumentFragment();
    for (let position = state.shownFindings; position < end; position += 1) {
      fragment.append(findingCard(matched[position], position));
    }
    list.append(fragment);
    state.shownFindings = end;
    if (end < matched.length) {
      const button = el("button", "more", `Show ${Math.min(CHUNK, matched.length - end)} more of ${matched.length - end}`);
      button.type = "button";
      button.addEventListener("click", () => renderFindings(state.shownFindings + CHUNK));
      detail.append(button);
    }
  }

  function findingCard(index, position) {
    const f = findings[index];
    const severity = SEVERITIES[f[SEV]];
    const card = el("article", `finding sev-${severity}`);
    card.id = `finding-${index}`;
    card.dataset.position = String(position);
    card.tabIndex = -1;

    const header = el("header");
    header.append(el("span", "badge", severity));
    const ruleButton = el("button", "rule-button", rules[f[RULE]]);
    ruleButton.type = "button";
    ruleButton.title = "Explain this rule";
    ruleButton.setAttribute("aria-expanded", "false");
    header.append(ruleButton);
    const range = f[LINE] === f[END_LINE] ? `${f[LINE]}:${f[COL]}–${f[END_COL]}` : `${f[LINE]}:${f[COL]}–${f[END_LINE]}:${f[END_COL]}`;
    header.append(el("span", "loc", `line ${range}`));
    if (f[FIELD] >= 0) header.append(el("span", "field", `field: ${string(f[FIELD])}`));
    card.append(header);
    card.append(el("p", "message", string(f[MSG])));

    const excerpt = el("pre", "excerpt");
    excerpt.append(el("span", "ln", f[LINE]), document.createTextNode(f[BEFORE]), el("mark", null, f[SPAN]));
    if (f[CUT]) excerpt.append(el("span", "cut", " [… cut]"));
    excerpt.append(document.createTextNode(f[AFTER]));
    card.append(excerpt);

    const aside = el("div", "aside");
    if (f[SUGGESTION] >= 0) {
      const p = el("p", "suggestion");
      p.append(el("span", "label", "Suggestion: "), el("span", "suggestion-text", string(f[SUGGESTION])));
      aside.append(p);
    }
    if (f[FIX] >= 0) {
      const p = el("p", "fix");
      p.append(el("span", "label", "Fix: "), document.createTextNode(string(f[FIX])));
      aside.append(p);
    }
    card.append(aside);

    const doc = el("div", "rule-doc");
    doc.hidden = true;
    card.append(doc);
    ruleButton.addEventListener("click", () => toggleDoc(ruleButton, doc, f[RULE]));
    card.addEventListener("click", (event) => {
      if (event.target !== ruleButton) setCurrent(position);
    });
    return card;
  }

  function toggleDoc(button, container, rule) {
    if (!container.hasChildNodes()) {
      container.append(document.getElementById(`rule-doc-${rule}`).content.cloneNode(true));
    }
    container.hidden = !container.hidden;
    button.setAttribute("aria-expanded", String(!container.hidden));
  }

  function setCurrent(position) {
    const old = detail.querySelector(".finding.current");
    if (old) {
      old.classList.remove("current");
      old.removeAttribute("aria-current");
    }
    state.position = position;
    if (position >= state.shownFindings) renderFindings(position + CHUNK);
    const card = detail.querySelector(`[data-position="${position}"]`);
    if (!card) return;
    card.classList.add("current");
    card.setAttribute("aria-current", "true");
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
  }

  // --- keyboard: j / k through the findings of the documents, in table order ----------------------------
  function step(direction) {
    if (state.file >= 0 && state.rowOf[state.file] >= 0) {
      const next = state.position + direction;
      if (next >= 0 && next < state.matched[state.file].length) {
        setCurrent(next);
        return;
      }
    }
    let row = state.file >= 0 && state.rowOf[state.file] >= 0 ? state.rowOf[state.file] + direction :
      (direction > 0 ? 0 : state.rows.length - 1);
    for (; row >= 0 && row < state.rows.length; row += direction) {
      const file = state.rows[row];
      if (state.matched[file].length > 0) {
        openFile(file, direction > 0 ? 0 : state.matched[file].length - 1, false);
        return;
      }
    }
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target instanceof HTMLInputElement || target instanceof HTMLSelectElement ||
      target instanceof HTMLTextAreaElement;
    if (event.key === "Escape" && typing) {
      target.blur();
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "j") step(1);
    else if (event.key === "k") step(-1);
    else if (event.key === "/") filterInputs.text.focus();
    else return;
    event.preventDefault();
  });

  // --- wiring ---------------------------------------------------------------------------------------------
  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-file]");
    if (link) {
      event.preventDefault();
      openFile(Number(link.dataset.file), -1, true);
      if (!link.closest("#doc-table")) detail.scrollIntoView({ block: "start" });
    }
  });
  for (const button of document.querySelectorAll("#doc-table th button")) {
    button.addEventListener("click", () => {
      const key = button.dataset.sort;
      state.sort = { key, descending: state.sort.key === key ? !state.sort.descending : key !== "path" };
      sortRows();
      if (state.file >= 0) rowElement(state.file)?.setAttribute("aria-selected", "true");
    });
  }
  for (const name of ["severity", "category", "rule"]) filterInputs[name].addEventListener("change", applyFilters);
  let timer = 0;
  filterInputs.text.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(applyFilters, 150);
  });
  $("filters").addEventListener("submit", (event) => event.preventDefault());
  new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting) && state.rendered < state.rows.length) {
      renderRows(state.rendered + CHUNK);
    }
  }, { root: document.querySelector(".documents"), rootMargin: "400px" }).observe(tableEnd);

  applyFilters();
  document.body.dataset.ready = "true";
  performance.mark("report-ready");
})();
