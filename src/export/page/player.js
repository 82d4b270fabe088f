/*
 * player.js - the page's player: replays the data mpscope wrote into the
 * page (the #mpscope-data block) as the terminal screen does. Lanes,
 * payload, resources and narration for one trace; compare mode for
 * several; the screen's keys and buttons. Every word comes from the data
 * (the replay's own briefs and narration); this script only lays it out.
 *
 * Safety: text from the trace reaches the page only through textContent
 * and SVG text nodes, never as markup; the page's CSP allows this script
 * (by hash) and no request of any kind. The address's #hash opens a place:
 * #step=9 or #step=pickle:2, &trace=2 (or &trace=spawn), &view=p|d|x,
 * &compare (&row=R), &help (the keys); the page keeps it up to date as
 * it moves.
 */
"use strict";
(function () {
	const D = JSON.parse(document.getElementById("mpscope-data").textContent);
	const S = D.S;
	const T = D.T;
	const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16];
	const BEAT_MS = 1200;
	const TRAVEL_MS = 700;
	const LEGEND = [
		["fork", "fork: parent, child"], ["start", "start / exec"],
		["pickle", "pickle made or read"], ["lookup", "name looked up / re-import"],
		["output", "output"], ["exit", "exit"], ["travel", "payload on its way"],
		["counted", "counted, not kept"],
	];
	const KEYS = [
		["space", "play / pause (one step per beat; 1.2 s at 1×)"],
		["→ ←  l h", "next / previous step (compare mode: row)"],
		["n N", "next / previous key moment"],
		["Home End  g G", "first / last step"],
		["+ −", "faster / slower (¼× … 16×)"],
		["p d x", "payload as disassembly / decoded / hex (compare mode: the selected column's, below the columns; the same key again closes it)"],
		["m", "next trace, at the same moment; in compare mode, the next column"],
		["c", "compare mode, and back, at the same moment"],
		["?", "this help and the legend (any key closes it)"],
	];
	const KIND = {};
	D.k.forEach(function (name, i) { KIND[name] = i; });
	/* The legend explains the mark of counted pickles only when a trace
	 * has some, as the screen's does. */
	const HAS_COUNTED = T.some(function (t) { return t.K.some(function (x) { return D.k[x[0]] === "counted"; }); });
	const F_KEY = 1, F_WARN = 2;

	const st = {
		cur: 0, steps: T.map(function () { return 0; }), view: "p", compare: false,
		row: 0, sel: 0, cmpPayload: false, playing: false, speed: 2, help: false,
		anim: null, timer: 0, shownPayload: {},
	};

	/* ---- small helpers ---- */

	function s(i) { return i >= 0 ? S[i] : ""; }
	function step(ti, k) { return T[ti].K[k]; }
	function count(ti) { return T[ti].K.length; }

	function el(tag, cls, text) {
		const e = document.createElement(tag);
		if (cls) e.className = cls;
		if (text !== undefined) e.textContent = text;
		return e;
	}

	const NS = "http://www.w3.org/2000/svg";
	function sv(tag, attrs, text) {
		const e = document.createElementNS(NS, tag);
		for (const a in attrs) e.setAttribute(a, attrs[a]);
		if (text !== undefined) e.textContent = text;
		return e;
	}

	function button(label, key, title, fn) {
		const b = el("button", "btn");
		if (key) b.appendChild(el("kbd", "", key));
		if (label) b.appendChild(document.createTextNode((key ? " " : "") + label));
		b.title = title;
		b.type = "button";
		b.addEventListener("click", function () { fn(); b.blur(); });
		return b;
	}

	function speedText() {
		const v = SPEEDS[st.speed];
		return (v === 0.25 ? "¼" : v === 0.5 ? "½" : String(v)) + "×";
	}

	/* ---- the aligned rows (compare mode) ---- */

	function rows() { return D.A || T[0].K.map(function (_, k) { return [k]; }); }

	function rowOf(ti, k) {
		const A = rows();
		for (let r = 0; r < A.length; r++) if (A[r][ti] === k) return r;
		return 0;
	}

	/* What column ti has told by row r: its step there or above. */
	function near(r, ti) {
		const A = rows();
		for (let i = r; i >= 0; i--) if (A[i][ti] >= 0) return A[i][ti];
		return 0;
	}

	function rowHasGap(r) { return rows()[r].some(function (k) { return k < 0; }); }

	/* ---- moving ---- */

	function clampStep(ti, k) { return Math.max(0, Math.min(count(ti) - 1, k)); }

	function go(k, animate) {
		if (st.compare) {
			st.row = Math.max(0, Math.min(rows().length - 1, k));
			return;
		}
		const from = st.steps[st.cur];
		st.steps[st.cur] = clampStep(st.cur, k);
		st.anim = animate && st.steps[st.cur] === from + 1 ? { t0: performance.now() } : null;
	}

	function position() { return st.compare ? st.row : st.steps[st.cur]; }
	function last() { return st.compare ? rows().length - 1 : count(st.cur) - 1; }

	function isKeyAt(pos) {
		if (!st.compare) return (step(st.cur, pos)[8] & F_KEY) !== 0;
		return rows()[pos].some(function (k, ti) { return k >= 0 && (step(ti, k)[8] & F_KEY); });
	}

	function nextKey(dir) {
		for (let p = position() + dir; p >= 0 && p <= last(); p += dir)
			if (isKeyAt(p)) { go(p, dir > 0 && p === position() + 1); return; }
	}

	function forward() {
		if (position() >= last()) return false;
		go(position() + 1, true);
		return true;
	}

	function schedule() {
		clearTimeout(st.timer);
		if (st.playing)
			st.timer = setTimeout(function () {
				if (!forward()) st.playing = false;
				render();
				schedule();
			}, BEAT_MS / SPEEDS[st.speed]);
	}

	function togglePlay() {
		st.playing = !st.playing;
		if (st.playing && position() >= last()) go(0, false);
		schedule();
	}

	function setSpeed(d) {
		st.speed = Math.max(0, Math.min(SPEEDS.length - 1, st.speed + d));
		schedule();
	}

	/* m: the next trace at the same moment, or the next column. */
	function nextTrace() {
		if (T.length < 2) return;
		if (st.compare) {
			st.sel = (st.sel + 1) % T.length;
			st.cur = st.sel;
			return;
		}
		const next = (st.cur + 1) % T.length;
		st.steps[next] = D.M[st.cur][st.steps[st.cur]];
		st.cur = next;
		st.anim = null;
	}

	function showTrace(ti) {
		if (st.compare) toggleCompare();
		if (ti === st.cur) return;
		const r = rowOf(st.cur, st.steps[st.cur]);
		st.steps[ti] = rows()[r][ti] >= 0 ? rows()[r][ti] : near(r, ti);
		st.cur = ti;
		st.anim = null;
	}

	function toggleCompare() {
		if (T.length < 2) return;
		if (!st.compare) {
			st.row = rowOf(st.cur, st.steps[st.cur]);
			st.sel = st.cur;
			st.cmpPayload = false;
		} else {
			st.cur = st.sel;
			st.steps[st.cur] = near(st.row, st.cur);
		}
		st.compare = !st.compare;
		st.anim = null;
	}

	function setView(v) {
		if (st.compare) {
			st.cmpPayload = !(st.cmpPayload && st.view === v);
		}
		st.view = v;
	}

	/* ---- the address: #step=9&trace=2&view=d ---- */

	function findTrace(v) {
		if (/^[0-9]+$/.test(v)) return Math.max(0, Math.min(T.length - 1, Number(v) - 1));
		for (let i = 0; i < T.length; i++)
			if (s(T[i].c) === v || s(T[i].m) === v || s(T[i].n) === v) return i;
		return st.cur;
	}

	/* "9" (the ninth), or "pickle:2" (the second pickle), as --print. */
	function findStep(ti, v) {
		if (/^[0-9]+$/.test(v)) return clampStep(ti, Number(v) - 1);
		const m = /^([a-z]+)(?::([0-9]+))?$/.exec(v);
		if (!m || !(m[1] in KIND)) return st.steps[ti];
		let nth = m[2] ? Number(m[2]) : 1;
		for (let k = 0; k < count(ti); k++)
			if (step(ti, k)[0] === KIND[m[1]] && --nth === 0) return k;
		return st.steps[ti];
	}

	function readHash() {
		const h = new URLSearchParams(location.hash.replace(/^#/, ""));
		if (h.has("trace")) st.cur = findTrace(h.get("trace"));
		if (h.has("step")) st.steps[st.cur] = findStep(st.cur, h.get("step"));
		if (/^[pdx]$/.test(h.get("view") || "")) st.view = h.get("view");
		st.compare = T.length > 1 && h.has("compare") && h.get("compare") !== "0";
		st.help = h.has("help");
		st.sel = st.cur;
		st.cmpPayload = st.compare && h.has("view");
		if (st.compare)
			st.row = h.has("row") ? Math.max(0, Math.min(rows().length - 1, Number(h.get("row")) - 1 || 0))
				: rowOf(st.cur, st.steps[st.cur]);
		st.anim = null;
	}

	function writeHash() {
		let h = "trace=" + (st.cur + 1) + "&view=" + st.view;
		h = st.compare ? "compare&row=" + (st.row + 1) + "&" + h : "step=" + (st.steps[st.cur] + 1) + "&" + h;
		try {
			history.replaceState(null, "", "#" + h);
		} catch (e) {
			/* A page opened where the address cannot change still plays. */
		}
	}

	/* ---- the lanes ---- */

	function labelAt(p, k) {
		let id = -1;
		for (const c of p[3]) if (c[0] <= k) id = c[1];
		return s(id);
	}

	function roleClass(p) {
		const r = s(p[1]);
		return r === "main" ? "main" : r === "child" ? "child" : "helper";
	}

	function shape(g, kind, x, y, cls) {
		switch (kind) {
		case "start":
			g.appendChild(sv("circle", { cx: x, cy: y, r: 4.5, class: "m-start " + cls }));
			break;
		case "pickle":
			g.appendChild(sv("path", { d: "M" + x + " " + (y - 6) + "l6 6l-6 6l-6-6z", class: "m-pickle " + cls }));
			break;
		case "counted":
			g.appendChild(sv("path", { d: "M" + x + " " + (y - 5) + "l5 5l-5 5l-5-5z", class: "m-counted " + cls }));
			break;
		case "lookup":
			g.appendChild(sv("circle", { cx: x, cy: y, r: 4, class: "m-lookup " + cls }));
			break;
		case "output":
			g.appendChild(sv("circle", { cx: x, cy: y, r: 2.5, class: "m-output " + cls }));
			break;
		case "exit":
			g.appendChild(sv("rect", { x: x - 4.5, y: y - 4.5, width: 9, height: 9, class: "m-exit " + cls }));
			break;
		case "error":
			g.appendChild(sv("path", { d: "M" + (x - 4) + " " + (y - 4) + "l8 8m0-8l-8 8", class: "m-error " + cls }));
			break;
		}
	}

	/* "PID ROLE"; in a narrow compare column the pid alone. */
	function headOf(p, o) { return o.compact && !o.roles ? String(p[0]) : p[0] + " " + s(p[1]); }

	/* The processes panel at step k of trace ti: one lane per process
	 * started by then, in tree order; each step a column; what happened so
	 * far; the payload of a pickle step on its way (travel 0..1). Returns
	 * the labels and the chart apart, so that the labels stay in sight
	 * while the chart scrolls. o.fit: the width to fit labels and story in
	 * (columns between o.minCw and o.cw wide); o.what: each label says
	 * what its process runs. */
	function lanes(ti, k, o) {
		const L = T[ti].L, K = T[ti].K;
		const rowH = o.compact ? 17 : 22, ch = o.compact ? 6.7 : 7.9;
		const vis = [], row = L.map(function () { return -1; });
		L.forEach(function (p, i) {
			if (p[4] >= 0 && p[4] <= k) { row[i] = vis.length; vis.push(i); }
		});
		let labelW = 0;
		for (const i of vis) {
			const full = L[i][2] * 1.2 + headOf(L[i], o).length + (o.what ? 1 + labelAt(L[i], k).length : 0);
			labelW = Math.max(labelW, full * ch + 12);
		}
		const right = o.compact ? 8 : 170; /* the exit status, the payload's box */
		const cw = o.fit ? Math.max(o.minCw || 3, Math.min(o.cw, (o.fit - labelW - right - 6) / K.length)) : o.cw;
		const x0 = 6, top = 10;
		const xOf = function (j) { return x0 + j * cw + cw / 2; };
		const yOf = function (r) { return top + r * rowH + rowH / 2; };
		const width = Math.ceil(x0 + K.length * cw + right);
		const height = top + Math.max(1, vis.length) * rowH + 6;
		const names = sv("svg", { width: Math.ceil(labelW), height: height, class: "lanes-svg lane-names", role: "img" });
		const svg = sv("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, class: "lanes-svg", role: "img" });
		svg.appendChild(sv("rect", { x: xOf(k) - cw / 2, y: 0, width: cw, height: height, class: "cursor-col" }));
		svg.appendChild(sv("path", { d: "M" + (xOf(k) - 5) + " 0h10l-5 6z", class: "cursor-mark" }));
		vis.forEach(function (i, r) {
			const p = L[i], y = yOf(r), cls = roleClass(p);
			const t = sv("text", { x: 4 + p[2] * 1.2 * ch, y: y + 4, class: "lane-label " + cls });
			t.appendChild(sv("tspan", { class: "lane-head" }, headOf(p, o)));
			if (o.what) t.appendChild(sv("tspan", { class: "lane-what" }, " " + labelAt(p, k)));
			names.appendChild(t);
			const end = p[5] >= 0 && p[5] <= k ? p[5] : k;
			svg.appendChild(sv("line", { x1: xOf(p[4]), y1: y, x2: xOf(end), y2: y, class: "lane " + cls }));
		});
		const marks = sv("g", {});
		for (let j = 0; j <= k; j++) {
			const t = K[j], kind = D.k[t[0]], r = t[1] >= 0 ? row[t[1]] : -1;
			if (r < 0) continue;
			const x = xOf(j), y = yOf(r), warn = t[8] & F_WARN ? " warn" : "";
			if (kind === "fork") {
				continue; /* drawn from the lanes below: a folded story may hide the step */
			} else if (kind === "start" || kind === "exec") {
				shape(marks, "start", x, y, "");
			} else if (kind === "pickle" || kind === "unpickle" || kind === "pickles") {
				shape(marks, "pickle", x, y, warn);
			} else if (kind === "counted") {
				shape(marks, "counted", x, y, "");
			} else if (kind === "import" || kind === "lookup") {
				shape(marks, "lookup", x, y, "");
			} else if (kind === "output") {
				for (const ln of t[9]) if (ln >= 0 && row[ln] >= 0) shape(marks, "output", x, yOf(row[ln]), "");
			} else if (kind === "exit") {
				shape(marks, "exit", x, y, warn);
				/* Past the counted pickles its process's story ends with. */
				const after = j + 1 <= k && D.k[K[j + 1][0]] === "counted" && K[j + 1][1] === t[1] ? xOf(j + 1) : x;
				if (!o.compact) marks.appendChild(sv("text", { x: after + 8, y: y + 4, class: "exit-text" + warn }, s(t[9])));
			} else if (kind === "error") {
				shape(marks, "error", x, y, "warn");
			}
		}
		/* A fork: from the parent's lane down to the child's, where the
		 * child's lane begins (the fork step may ride inside another). */
		vis.forEach(function (i) {
			const p = L[i], rp = p[6] >= 0 ? row[p[6]] : -1;
			if (rp < 0) return;
			const x = xOf(p[4]), y = yOf(rp), yc = yOf(row[i]), down = yc > y ? 1 : -1;
			marks.appendChild(sv("line", { x1: x, y1: y, x2: x, y2: yc - 6 * down, class: "fork-line" }));
			marks.appendChild(sv("path", { d: "M" + (x - 4) + " " + (yc - 8 * down) + "l4 " + 6 * down + "l4 " + -6 * down + "z", class: "fork-head" }));
			marks.appendChild(sv("circle", { cx: x, cy: y, r: 3, class: "fork-dot" }));
		});
		svg.appendChild(marks);
		const cur = K[k], ck = D.k[cur[0]];
		if ((ck === "pickle" || ck === "unpickle") && cur[2] >= 0 && cur[3] >= 0 && cur[1] >= 0 &&
		    row[cur[1]] >= 0 && row[cur[2]] >= 0) {
			const from = yOf(row[ck === "pickle" ? cur[1] : cur[2]]);
			const to = yOf(row[ck === "pickle" ? cur[2] : cur[1]]);
			const x = xOf(k) + cw / 2 + 3, P = D.P[cur[3]];
			svg.appendChild(sv("line", { x1: x, y1: from, x2: x, y2: to, class: "travel-path" }));
			const g = sv("g", { class: "travel" });
			shape(g, "pickle", x, from, "");
			const text = (o.compact ? s(P.s) : s(P.s) + (P.r >= 0 ? " " + s(P.r) : ""));
			const tw = text.length * ch + 10;
			/* Beside the cursor, or before it when the chart ends there. */
			const bx = x + 8 + tw <= width ? x + 8 : Math.max(0, x - 16 - tw);
			g.appendChild(sv("rect", { x: bx, y: from - 9, width: tw, height: 18, rx: 3, class: "travel-box" }));
			g.appendChild(sv("text", { x: bx + 5, y: from + 4, class: "travel-text" }, text));
			svg.appendChild(g);
			g.setAttribute("transform", "translate(0 " + (to - from) * (o.travel === undefined ? 1 : o.travel) + ")");
			o.onTravel = function (p) { g.setAttribute("transform", "translate(0 " + (to - from) * p + ")"); };
		}
		o.cursorX = xOf(k);
		return { names: names, chart: svg };
	}

	function legend() {
		const box = el("div", "legend");
		for (const item of LEGEND) {
			if (item[0] === "counted" && !HAS_COUNTED) continue;
			const svg = sv("svg", { width: item[0] === "fork" || item[0] === "travel" ? 26 : 14, height: 16, class: "legend-icon" });
			if (item[0] === "fork") {
				svg.appendChild(sv("circle", { cx: 6, cy: 4, r: 3, class: "fork-dot" }));
				svg.appendChild(sv("line", { x1: 6, y1: 4, x2: 6, y2: 10, class: "fork-line" }));
				svg.appendChild(sv("path", { d: "M2 9l4 6l4-6z", class: "fork-head" }));
			} else if (item[0] === "travel") {
				svg.appendChild(sv("line", { x1: 5, y1: 0, x2: 5, y2: 16, class: "travel-path" }));
				shape(svg, "pickle", 16, 8, "");
			} else {
				shape(svg, item[0], 7, 8, "");
			}
			const span = el("span", "legend-item");
			span.appendChild(svg);
			span.appendChild(document.createTextNode(" " + item[1]));
			box.appendChild(span);
		}
		return box;
	}

	/* ---- the payload ---- */

	function hexLines(b64) {
		const bin = atob(b64), out = [];
		/* Eight bytes a line, as the screen: it fits a half-width panel. */
		for (let off = 0; off < bin.length; off += 8) {
			let hex = "", asc = "";
			for (let i = off; i < off + 8; i++) {
				if (i < bin.length) {
					const c = bin.charCodeAt(i);
					hex += (c < 16 ? "0" : "") + c.toString(16) + " ";
					asc += c >= 0x20 && c < 0x7f ? bin[i] : ".";
				} else {
					hex += "   ";
				}
			}
			out.push(("000" + off.toString(16)).slice(-4) + " " + hex + asc);
		}
		return out;
	}

	/* Fills a payload panel: title, what it is and the name of the
	 * program it refers to (in sight however it is scrolled), the verdict
	 * on what loading it would call (alarm colour when dangerous), the
	 * view tabs, the lines; opens at the reference the first time it shows. */
	function payloadPanel(panel, key, ti, k) {
		const pi = step(ti, k)[3];
		const title = panel.querySelector("h2"), info = panel.querySelector(".info"), body = panel.querySelector(".body");
		const tabs = panel.querySelector(".tabs"), verdict = panel.querySelector(".verdict");
		tabs.querySelectorAll("button").forEach(function (b) {
			b.classList.toggle("on", b.dataset.view === st.view);
		});
		info.replaceChildren();
		verdict.hidden = pi < 0 || D.P[pi].v < 0;
		verdict.textContent = verdict.hidden ? "" : s(D.P[pi].v);
		verdict.classList.toggle("warn", !verdict.hidden && D.P[pi].vd === 1);
		if (pi < 0) {
			title.textContent = "payload";
			body.replaceChildren(el("div", "dim", "Nothing has been pickled up to this step."));
			st.shownPayload[key] = null;
			return;
		}
		const P = D.P[pi];
		title.textContent = s(P.h);
		info.appendChild(el("span", "dim", s(P.w)));
		if (P.r >= 0) info.appendChild(el("span", "ref", " · → " + s(P.r)));
		info.appendChild(el("span", "dim", s(P.i)));
		let lines, marks = [], first = -1;
		if (st.view === "x") {
			lines = s(P.x) ? hexLines(s(P.x)) : ["(the bytes were not captured)"];
		} else {
			const v = st.view === "p" ? P.p : P.o;
			lines = s(v[0]).replace(/\n$/, "").split("\n");
			marks = v[2];
			first = v[1];
		}
		const frag = document.createDocumentFragment();
		const isRef = new Set(marks);
		lines.forEach(function (line, i) {
			frag.appendChild(el("div", isRef.has(i) ? "ln ref" : "ln", line === "" ? " " : line));
		});
		body.replaceChildren(frag);
		const shown = pi + st.view;
		if (st.shownPayload[key] !== shown) {
			st.shownPayload[key] = shown;
			const target = body.children[Math.max(0, first - 2)];
			body.scrollTop = first > 2 && target ? target.offsetTop - body.offsetTop : 0;
		}
	}

	function makePayloadPanel() {
		const panel = el("section", "panel payload");
		panel.appendChild(el("h2", "", "payload"));
		panel.appendChild(el("div", "info"));
		const verdict = el("div", "verdict");
		verdict.hidden = true;
		panel.appendChild(verdict);
		const tabs = el("div", "tabs");
		for (const v of [["p", "dis"], ["d", "decoded"], ["x", "hex"]]) {
			const b = button(v[1], v[0], "payload as " + v[1] + " (key " + v[0] + ")", function () {
				st.view = v[0];
				render();
			});
			b.dataset.view = v[0];
			tabs.appendChild(b);
		}
		panel.appendChild(tabs);
		panel.appendChild(el("div", "body mono"));
		return panel;
	}

	/* ---- resources ---- */

	function resourcesPanel(panel, ti, k) {
		const t = T[ti].F[step(ti, k)[7]];
		const box = panel.querySelector(".fds");
		box.replaceChildren();
		if (!t) return;
		const hasParent = t[1] !== 0;
		const table = el("table", "fd-table");
		const head = el("tr");
		head.appendChild(el("th", "num", "fd"));
		if (hasParent) head.appendChild(el("th", "", s(t[3])));
		head.appendChild(el("th", "", s(t[2])));
		table.appendChild(head);
		let firstStep = null;
		for (const r of t[4]) {
			const tr = el("tr", r[4] ? "is-step" : "");
			tr.appendChild(el("td", "num", String(r[0])));
			if (hasParent) tr.appendChild(el("td", r[1] < 0 ? "dim" : "", r[1] < 0 ? "—" : s(r[1])));
			const own = el("td");
			const how = D.hw[r[3]];
			if (how === "closed at exec") {
				own.className = "gone";
				own.textContent = (hasParent || r[2] < 0 ? "" : s(r[2]) + " ") + how;
			} else if (r[2] < 0) {
				own.className = "dim";
				own.textContent = "—";
			} else {
				own.appendChild(document.createTextNode(s(r[2])));
				if (how) own.appendChild(el("span", "how", " " + how));
			}
			tr.appendChild(own);
			table.appendChild(tr);
			if (r[4] && !firstStep) firstStep = tr;
		}
		if (!t[4].length) {
			const tr = el("tr"), td = el("td", "dim", "no descriptor table recorded yet");
			td.colSpan = hasParent ? 3 : 2;
			tr.appendChild(el("td"));
			tr.appendChild(td);
			table.appendChild(tr);
		}
		for (let line = 0; line < 3; line++) {
			const tr = el("tr", "counts");
			let any = false;
			tr.appendChild(el("td"));
			for (const c of t[5]) {
				const v = line === 0 ? c[0] : line === 1 ? c[2] : c[3];
				tr.appendChild(el("td", line === 0 && c[1] ? "warn" : line === 2 ? "dim" : "", s(v)));
				any = any || v >= 0;
			}
			if (any) table.appendChild(tr);
		}
		box.appendChild(table);
		if (firstStep) box.scrollTop = Math.max(0, firstStep.offsetTop - box.clientHeight / 3);
		else box.scrollTop = 0;
	}

	/* ---- building the page ---- */

	const app = document.getElementById("app");
	const ui = {};

	function build() {
		ui.status = el("header", "status");
		ui.left = el("span", "status-left");
		ui.right = el("span", "status-right");
		ui.status.append(ui.left, ui.right);

		const bar = el("nav", "controls");
		bar.append(
			button("first", "Home", "first step (Home, g)", function () { go(0, false); render(); }),
			button("back", "←", "previous step (←, h)", function () { go(position() - 1, false); render(); }));
		ui.play = button("play", "space", "play / pause (space)", function () { togglePlay(); render(); });
		bar.append(ui.play,
			button("next", "→", "next step (→, l)", function () { go(position() + 1, true); render(); }),
			button("last", "End", "last step (End, G)", function () { go(last(), false); render(); }),
			button("moment", "N", "previous key moment (N)", function () { nextKey(-1); render(); }),
			button("moment", "n", "next key moment (n)", function () { nextKey(1); render(); }),
			button("slower", "−", "slower (−)", function () { setSpeed(-1); render(); }));
		ui.speed = el("span", "speed");
		bar.append(ui.speed, button("faster", "+", "faster (+)", function () { setSpeed(1); render(); }));
		ui.tabs = el("span", "trace-tabs");
		if (T.length > 1) {
			T.forEach(function (t, i) {
				const b = button(s(t.c), "", "show " + s(t.n) + " at the same moment", function () { showTrace(i); render(); });
				b.dataset.trace = i;
				ui.tabs.appendChild(b);
			});
			ui.tabs.appendChild(button("next", "m", "next trace at the same moment (m)", function () { nextTrace(); render(); }));
			ui.cmpBtn = button("compare", "c", "compare the traces side by side (c)", function () { toggleCompare(); render(); });
			ui.tabs.appendChild(ui.cmpBtn);
		}
		if (T.length > 1) bar.append(ui.tabs);
		bar.append(button("keys", "?", "keys and legend (?)", function () { st.help = !st.help; render(); }));

		/* One trace: the wide screen's layout. */
		ui.single = el("div", "single");
		ui.lanes = el("section", "panel lanes");
		ui.lanes.appendChild(el("h2", "", "processes"));
		ui.lanesBox = el("div", "lanes-box");
		ui.lanes.append(ui.lanesBox, legend());
		ui.payload = makePayloadPanel();
		ui.resources = el("section", "panel resources");
		ui.resources.append(el("h2", "", "resources"), el("div", "fds"));
		ui.narration = el("section", "panel narration");
		ui.narration.append(el("h2", "", "narration"), el("p", "text"));
		const right = el("div", "right");
		right.append(ui.resources, ui.narration);
		const lower = el("div", "lower");
		lower.append(ui.payload, right);
		ui.single.append(ui.lanes, lower);

		/* Several: compare mode. A column and its narration stand on the
		 * rows of one grid (subgrid), so that the story's rows line up
		 * across columns; on a narrow screen the columns stack. */
		ui.compare = el("div", "compare");
		ui.cols = el("div", "cols");
		ui.colParts = T.map(function (t, i) {
			const stack = el("div", "stack");
			const col = el("section", "panel col");
			const parts = { col: col, title: el("h2"), lanes: el("div", "lanes-box mini"), facts: el("div", "facts"), got: el("div", "got dim"), rows: el("ol", "rows mono") };
			col.append(parts.title, parts.lanes, parts.facts, parts.got, parts.rows);
			col.addEventListener("click", function () { st.sel = i; st.cur = i; render(); });
			parts.narration = el("section", "panel narration");
			parts.narration.append(el("h2", "", "narration"), el("p", "text"));
			stack.append(col, parts.narration);
			ui.cols.appendChild(stack);
			return parts;
		});
		ui.cmpPayload = makePayloadPanel();
		ui.compare.append(ui.cols, legend(), ui.cmpPayload);

		ui.keys = el("footer", "keybar");
		for (const k of [["space", "play"], ["n/N", "moment"], ["←→", "step"], ["m", "method"], ["c", "compare"], ["p/d/x", "payload"], ["+/−", "speed"], ["?", "help"]]) {
			if ((k[0] === "m" || k[0] === "c") && T.length < 2) continue;
			ui.keys.append(el("kbd", "", k[0]), document.createTextNode(" " + k[1] + "  "));
		}

		ui.help = el("div", "help");
		const box = el("div", "help-box");
		box.appendChild(el("h2", "", "keys · any key closes"));
		const dl = el("dl");
		for (const k of KEYS) dl.append(el("dt", "", k[0]), el("dd", "", k[1]));
		box.append(dl, el("h3", "", "legend"), legend());
		ui.help.appendChild(box);
		ui.help.addEventListener("click", function () { st.help = false; render(); });

		app.append(ui.status, bar, ui.single, ui.compare, ui.keys, ui.help);
	}

	/* ---- drawing the state ---- */

	function renderStatus() {
		const cur = T[st.cur];
		const play = st.playing ? "▶" : "‖";
		if (st.compare) {
			ui.left.textContent = "mpscope · " + s(D.title) + " · compare " + T.length + " traces" + s(D.sh);
			ui.right.textContent = "row " + (st.row + 1) + "/" + rows().length + " (folded)  " + play + " " + speedText();
		} else {
			const t = step(st.cur, st.steps[st.cur])[4] / 10;
			ui.left.textContent = "mpscope · " + s(D.title) + " · " + s(cur.m) + (T.length > 1 ? " (m: next)" : "");
			ui.right.textContent = "step " + (st.steps[st.cur] + 1) + "/" + count(st.cur) + " (folded)  " + play + " " + speedText() + "  t=" + t.toFixed(1) + " ms";
		}
		ui.play.lastChild.textContent = st.playing ? " pause" : " play";
		ui.speed.textContent = speedText();
		ui.tabs.querySelectorAll("button[data-trace]").forEach(function (b) {
			b.classList.toggle("on", !st.compare && Number(b.dataset.trace) === st.cur);
		});
		if (ui.cmpBtn) ui.cmpBtn.classList.toggle("on", st.compare);
	}

	function renderSingle() {
		const ti = st.cur, k = st.steps[ti], t = step(ti, k);
		/* What each process runs, where there is room to say it. */
		const width = ui.lanesBox.clientWidth;
		const o = { cw: 22, minCw: 10, fit: width, what: width >= 640 };
		if (st.anim) o.travel = Math.min(1, (performance.now() - st.anim.t0) / travelMs());
		placeLanes(ui.lanesBox, lanes(ti, k, o), o, 170);
		payloadPanel(ui.payload, "single", ti, k);
		resourcesPanel(ui.resources, ti, k);
		ui.narration.querySelector("h2").textContent = "narration · " + D.k[t[0]];
		ui.narration.querySelector(".text").textContent = s(t[6]);
		if (o.onTravel && st.anim) animate(o.onTravel);
	}

	/* Puts the labels and the chart in box; scrolls the chart only when
	 * the cursor (and the room after it) would be out of sight. */
	function placeLanes(box, l, o, after) {
		let chart = box.querySelector(".chart");
		const scroll = chart ? chart.scrollLeft : 0;
		if (!chart) {
			box.replaceChildren(el("div", "names"), chart = el("div", "chart"));
		}
		box.firstChild.replaceChildren(l.names);
		chart.replaceChildren(l.chart);
		chart.scrollLeft = scroll;
		const w = chart.clientWidth;
		if (o.cursorX < chart.scrollLeft + 20)
			chart.scrollLeft = Math.max(0, o.cursorX - w / 3);
		else if (o.cursorX + after > chart.scrollLeft + w)
			chart.scrollLeft = Math.min(o.cursorX - 20, Math.max(o.cursorX - w * 2 / 3, o.cursorX + after - w));
	}

	function travelMs() { return Math.min(TRAVEL_MS, 0.8 * BEAT_MS / SPEEDS[st.speed]); }

	function animate(onTravel) {
		const a = st.anim;
		function frame(now) {
			if (st.anim !== a) return;
			const p = Math.min(1, (now - a.t0) / travelMs());
			onTravel(p);
			if (p < 1) requestAnimationFrame(frame);
			else st.anim = null;
		}
		requestAnimationFrame(frame);
	}

	/* Narrower than this, a compare column stacks under the one before. */
	const COLUMN_MIN = 300;

	function renderCompare() {
		const A = rows();
		const isStacked = app.clientWidth / T.length < COLUMN_MIN;
		ui.cols.classList.toggle("stacked", isStacked);
		ui.cols.style.gridTemplateColumns = isStacked ? "minmax(0, 1fr)" : "repeat(" + T.length + ", minmax(0, 1fr))";
		T.forEach(function (t, ti) {
			const parts = ui.colParts[ti], k = near(st.row, ti), cur = step(ti, k);
			parts.col.classList.toggle("selected", ti === st.sel);
			parts.title.textContent = s(t.c) + " · " + count(ti) + " steps";
			const width = Math.max(120, parts.col.clientWidth - 16);
			const o = { cw: 16, minCw: 3, fit: width, compact: true, roles: width >= 380, travel: 1 };
			placeLanes(parts.lanes, lanes(ti, k, o), o, 10);
			parts.facts.replaceChildren();
			if (cur[3] < 0) {
				parts.facts.appendChild(el("div", "dim", "nothing pickled so far"));
			} else {
				const P = D.P[cur[3]];
				parts.facts.appendChild(el("div", "payload-fact", "◆ " + s(P.w) + " " + s(P.s) + " " + s(P.h).replace(/^payload [0-9]+ (.) ([0-9]+) .*$/, "$1 $2")));
				parts.facts.appendChild(P.r >= 0 ? el("div", "ref", "→ " + s(P.r) + " by reference") : el("div", "dim", "no name of the program in it"));
			}
			parts.got.textContent = s(cur[10]);
			const frag = document.createDocumentFragment();
			let curLi = null;
			A.forEach(function (r, ri) {
				const li = el("li", (ri === st.row ? "cur " : "") + (rowHasGap(ri) ? "gap" : ""), r[ti] < 0 ? "  ·" : s(step(ti, r[ti])[5]));
				li.addEventListener("click", function (e) { e.stopPropagation(); st.row = ri; st.sel = ti; st.cur = ti; render(); });
				if (ri === st.row) curLi = li;
				frag.appendChild(li);
			});
			parts.rows.replaceChildren(frag);
			if (curLi) {
				/* The current row in the middle, whole rows at the top. */
				const h = curLi.offsetHeight || 1;
				const top = curLi.offsetTop - parts.rows.offsetTop - parts.rows.clientHeight / 2;
				parts.rows.scrollTop = Math.max(0, Math.round(top / h) * h);
			}
			const n = parts.narration, kk = A[st.row][ti];
			n.hidden = st.cmpPayload;
			n.querySelector("h2").textContent = "narration · " + s(t.c);
			const p = n.querySelector(".text");
			p.textContent = kk < 0 ? s(D.gap) : s(step(ti, kk)[6]);
			p.classList.toggle("gap", kk < 0);
		});
		ui.cmpPayload.hidden = !st.cmpPayload;
		if (st.cmpPayload) payloadPanel(ui.cmpPayload, "compare", st.sel, near(st.row, st.sel));
	}

	function render() {
		ui.single.hidden = st.compare;
		ui.compare.hidden = !st.compare;
		ui.help.hidden = !st.help;
		renderStatus();
		if (st.compare) renderCompare();
		else renderSingle();
		writeHash();
	}

	/* ---- keys: the screen's ---- */

	const ACTIONS = {
		ArrowRight: function () { go(position() + 1, true); }, l: function () { go(position() + 1, true); },
		ArrowLeft: function () { go(position() - 1, false); }, h: function () { go(position() - 1, false); },
		" ": togglePlay,
		"+": function () { setSpeed(1); }, "=": function () { setSpeed(1); },
		"-": function () { setSpeed(-1); }, "_": function () { setSpeed(-1); },
		Home: function () { go(0, false); }, g: function () { go(0, false); },
		End: function () { go(last(), false); }, G: function () { go(last(), false); },
		n: function () { nextKey(1); }, N: function () { nextKey(-1); },
		p: function () { setView("p"); }, d: function () { setView("d"); }, x: function () { setView("x"); },
		m: nextTrace, c: toggleCompare,
		"?": function () { st.help = !st.help; },
	};

	document.addEventListener("keydown", function (e) {
		if (e.ctrlKey || e.metaKey || e.altKey) return;
		if (st.help) {
			st.help = false;
			e.preventDefault();
			render();
			return;
		}
		const a = ACTIONS[e.key];
		if (!a) return;
		e.preventDefault();
		a();
		render();
	});
	window.addEventListener("hashchange", function () { readHash(); render(); });
	window.addEventListener("resize", render);

	build();
	readHash();
	render();
})();
