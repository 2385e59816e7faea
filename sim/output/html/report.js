/* report.js — draws msgsim's HTML report (--format html) from the run's data, which html.c
 * writes into the page as JSON (<script id="msgsim-data">).
 *
 * One canvas holds the time axis, one lane per process (its states as coloured spans, its
 * calls as ticks), the message arrows between lanes, and one small chart per queue or pipe
 * (its fill level, its limit dashed). The design choice to know: the view is a time window
 * [t0, t1], and every redraw walks only what falls in it (binary search on start times) and
 * merges whatever is narrower than a pixel: spans into the state that held most of that
 * pixel, calls and levels into one mark per pixel column, arrows into one per column and
 * pair of lanes when there are too many to tell apart. So a run of 10^5 events pans at the
 * same speed as a small one. Plain ES5, no libraries, nothing loaded from elsewhere.
 *
 * When it is done it adds <div id="msgsim-status" hidden data-...> saying what it drew
 * (lanes, arrows, queued messages, deadlock nodes, script errors): the browser test reads it.
 */
(function () {
	'use strict';

	var STATE_COLORS = ['#f2c14e', '#3a9d5d', '#d1495b', '#6c8ebf', '#d9d9d9']; /* report.css */
	var BLOCKED = 2, EXITED = 4;
	var LABEL_W = 130, LANE_H = 24, LEVEL_H = 60, AXIS_H = 24, GAP = 14, RIGHT = 16;
	var ARROWS_ONE_BY_ONE = 1500; /* more arrows than this in view are merged per column */
	var LABELS_UP_TO = 60;	      /* arrow labels are written when at most this many show */
	var MERGE_PX = 16;	      /* merged: one arrow per pair of lanes per this many pixels */

	var errors = [];
	var statusEl = null;
	window.addEventListener('error', function (e) {
		errors.push(String(e.message || e));
		if (statusEl)
			statusEl.setAttribute('data-errors', String(errors.length));
	});

	var D = JSON.parse(document.getElementById('msgsim-data').textContent);
	var END = Math.max(D.end, 1);

	/* ---- Time ---- */
	var UNITS = [[1e9, 's'], [1e6, 'ms'], [1e3, 'us'], [1, 'ns']];
	/* "1.5ms", "12us", "0": the trace's way, with at most `digits` decimals. */
	function fmtTime(ns, digits) {
		if (ns === 0)
			return '0';
		var a = Math.abs(ns);
		for (var i = 0; i < UNITS.length; i++) {
			if (a >= UNITS[i][0] || i === UNITS.length - 1) {
				var v = (ns / UNITS[i][0]).toFixed(digits === undefined ? 3 : digits);
				if (v.indexOf('.') >= 0)
					v = v.replace(/0+$/, '').replace(/\.$/, '');
				return v + UNITS[i][1];
			}
		}
		return String(ns);
	}
	function exactTime(ns) { return fmtTime(ns, 9); }

	/* ---- The data, in arrays that can be searched ---- */
	var tasks = D.tasks.map(function (t) {
		var n = t.spans.length;
		var r = { name: t.name, final: t.final, start: new Float64Array(n), end: new Float64Array(n),
			  state: new Uint8Array(n), spans: t.spans, calls: [] };
		for (var i = 0; i < n; i++) {
			r.start[i] = t.spans[i][0];
			r.end[i] = t.spans[i][1];
			r.state[i] = t.spans[i][2];
		}
		/* A task blocked at the end stays so for ever: drawn past the end. */
		if (n && t.final === BLOCKED && r.state[n - 1] === BLOCKED && r.end[n - 1] >= D.end)
			r.end[n - 1] = END * 1.05 + 1;
		return r;
	});
	D.calls.forEach(function (c, i) { tasks[c[0]].calls.push(i); });
	tasks.forEach(function (t) {
		t.calls.sort(function (a, b) { return D.calls[a][1] - D.calls[b][1] || a - b; });
		t.callStart = new Float64Array(t.calls.length);
		t.calls.forEach(function (ci, k) { t.callStart[k] = D.calls[ci][1]; });
	});
	/* The whole run, and a little after its end when a process is stuck there: a deadlock's
	 * last blocked spans begin at the very end, and must show. */
	var stuck = tasks.some(function (t) { return t.final === BLOCKED; });
	var FIT = stuck ? END * 1.04 + 1 : END;
	var objects = D.objects.filter(function (o) { return o.levels.length > 0; });
	var objectRow = {};
	objects.forEach(function (o, i) { objectRow[o.name] = i; });

	/* The first index i with arr[i] >= v (arr sorted ascending). */
	function lowerBound(arr, v) {
		var lo = 0, hi = arr.length;
		while (lo < hi) {
			var mid = (lo + hi) >>> 1;
			if (arr[mid] < v) lo = mid + 1; else hi = mid;
		}
		return lo;
	}

	/* ---- The page around the canvas ---- */
	function el(tag, attrs, text) {
		var e = document.createElement(tag);
		for (var k in attrs)
			if (Object.prototype.hasOwnProperty.call(attrs, k))
				e.setAttribute(k, attrs[k]);
		if (text !== undefined)
			e.textContent = text;
		return e;
	}
	var section = document.getElementById('timeline');
	var toolbar = el('div', { 'class': 'toolbar' });
	var buttons = [['-', 'zoom out (-)', function () { zoom(2, 0.5); }],
		       ['+', 'zoom in (+)', function () { zoom(0.5, 0.5); }],
		       ['fit', 'the whole run (0)', function () { setView(0, FIT); }],
		       ['\u25c0', 'earlier (left arrow)', function () { pan(-0.25); }],
		       ['\u25b6', 'later (right arrow)', function () { pan(0.25); }]];
	buttons.forEach(function (b) {
		var btn = el('button', { type: 'button', title: b[1] }, b[0]);
		btn.addEventListener('click', b[2]);
		toolbar.appendChild(btn);
	});
	var rangeEl = el('span', { 'class': 'hint mono' });
	toolbar.appendChild(rangeEl);
	toolbar.appendChild(el('span', { 'class': 'hint' },
			       'wheel or +/- to zoom, drag or arrows to pan; hover a lane for ' +
			       'its state, click a call for its details'));
	section.appendChild(toolbar);

	var legend = el('div', { 'class': 'legend' });
	D.states.forEach(function (name, i) {
		var s = el('span', { style: '--c:' + STATE_COLORS[i] }, name);
		legend.appendChild(s);
	});
	legend.appendChild(el('span', { style: '--c:#1f2328' }, 'call (red: failed)'));
	legend.appendChild(el('span', { style: '--c:#0b5cad' }, 'message: send \u2192 receive'));
	legend.appendChild(el('span', { style: '--c:#8250df' }, 'still queued at the end'));
	legend.appendChild(el('span', { style: '--c:#cf222e' }, 'fill limit (dashed)'));
	section.appendChild(legend);

	var chart = el('div', { 'class': 'chart', id: 'chart', tabindex: '0' });
	var canvas = el('canvas', { 'aria-label': 'swimlanes of the run' });
	chart.appendChild(canvas);
	section.appendChild(chart);
	var details = el('div', { id: 'details' });
	details.textContent = 'Click a call in a lane to see its details here.';
	details.className = 'hint-only';
	section.appendChild(details);
	var tip = el('div', { 'class': 'tooltip' });
	document.body.appendChild(tip);

	var lanesTop = AXIS_H, lanesBottom = AXIS_H + tasks.length * LANE_H;
	var levelsTop = lanesBottom + (objects.length ? GAP : 0);
	var height = levelsTop + objects.length * LEVEL_H + 6;
	function laneMid(i) { return lanesTop + i * LANE_H + LANE_H / 2; }

	tasks.forEach(function (t, i) {
		var l = el('div', { 'class': 'lane-label', title: t.name }, t.name);
		l.style.top = (lanesTop + i * LANE_H) + 'px';
		l.style.lineHeight = LANE_H + 'px';
		chart.appendChild(l);
	});
	objects.forEach(function (o, i) {
		var l = el('div', { 'class': 'level-label', title: o.name },
			   o.name + ' (' + o.unit + ')');
		/* "(above)": the chart is scaled to what was seen, the limit being far above. */
		var above = o.max > 0 && o.limit > 4 * o.max ? ' (above)' : '';
		var limit = o.limit > 0 ? 'limit ' + o.limit + above + ', ' : 'no limit known, ';
		l.appendChild(el('br'));
		l.appendChild(document.createTextNode(limit + 'max ' + o.max));
		l.style.top = (levelsTop + i * LEVEL_H + 4) + 'px';
		chart.appendChild(l);
	});

	/* ---- The view ---- */
	var t0 = 0, t1 = FIT, W = 800;
	function plotW() { return Math.max(W - LABEL_W - RIGHT, 10); }
	function x(t) { return LABEL_W + (t - t0) * plotW() / (t1 - t0); }
	function tAt(px) { return t0 + (px - LABEL_W) * (t1 - t0) / plotW(); }
	function setView(a, b) {
		var span = Math.max(b - a, 10);
		var pad = END * 0.05;
		if (a < -pad) { a = -pad; }
		if (a + span > END + pad) { a = END + pad - span; }
		t0 = a;
		t1 = a + span;
		draw();
	}
	function zoom(factor, at) {
		var tm = t0 + (t1 - t0) * at;
		setView(tm - (tm - t0) * factor, tm + (t1 - tm) * factor);
	}
	function pan(frac) { setView(t0 + (t1 - t0) * frac, t1 + (t1 - t0) * frac); }

	/* ---- Drawing ---- */
	var ctx = canvas.getContext('2d');
	var drawn = { arrows: 0, merged: 0, queued: 0 };
	var segments = []; /* the arrows drawn one by one: [x1, y1, x2, y2, message], for hover */

	function niceStep(raw) {
		var p = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10));
		var m = raw / p;
		return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
	}

	function drawAxis() {
		var step = niceStep((t1 - t0) / Math.max(plotW() / 110, 1));
		ctx.fillStyle = '#59636e';
		ctx.strokeStyle = '#eaeef2';
		ctx.font = '11px system-ui, sans-serif';
		ctx.textBaseline = 'middle';
		ctx.textAlign = 'center';
		for (var t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
			var px = Math.round(x(t)) + 0.5;
			if (px < LABEL_W)
				continue;
			ctx.beginPath();
			ctx.moveTo(px, AXIS_H - 4);
			ctx.lineTo(px, height);
			ctx.stroke();
			ctx.fillText(fmtTime(Math.round(t)), px, AXIS_H / 2);
		}
		ctx.textAlign = 'left';
	}

	/* A lane: spans wider than a pixel as they are; narrower ones merged per pixel column
	 * into the state that held most of it. */
	function drawLane(i) {
		var t = tasks[i], y = lanesTop + i * LANE_H + 3, h = LANE_H - 6;
		var n = t.start.length;
		var k = Math.max(lowerBound(t.start, t0) - 1, 0);
		var col = -1, acc = [0, 0, 0, 0, 0];
		function flush() {
			if (col < 0)
				return;
			var best = 0;
			for (var s = 1; s < 5; s++)
				if (acc[s] > acc[best]) best = s;
			ctx.fillStyle = STATE_COLORS[best];
			ctx.fillRect(col, y, 1, h);
			acc = [0, 0, 0, 0, 0];
			col = -1;
		}
		for (; k < n && t.start[k] <= t1; k++) {
			if (t.end[k] < t0)
				continue;
			var xs = Math.max(x(t.start[k]), LABEL_W), xe = Math.min(x(t.end[k]), W);
			if (xe - xs >= 1) {
				flush();
				ctx.fillStyle = STATE_COLORS[t.state[k]];
				ctx.fillRect(xs, y, xe - xs, h);
				if (t.state[k] === BLOCKED && xe - xs > 60) {
					ctx.fillStyle = '#fff';
					ctx.font = '10px system-ui, sans-serif';
					var what = t.spans[k][3] ? 'on ' + t.spans[k][3] : 'blocked';
					ctx.fillText(what, xs + 3, y + h / 2, xe - xs - 6);
				}
				continue;
			}
			var c = Math.floor(xs);
			if (c !== col) {
				flush();
				col = c;
			}
			acc[t.state[k]] += t.end[k] - t.start[k];
		}
		flush();
		/* Calls: a tick at the lane's foot, one per pixel column at most. */
		var lastCol = -1, j = lowerBound(t.callStart, t0);
		var yc = lanesTop + (i + 1) * LANE_H - 5;
		for (; j < t.calls.length && t.callStart[j] <= t1; j++) {
			var call = D.calls[t.calls[j]];
			var cx = Math.floor(x(call[1]));
			var cw = Math.max(Math.floor(x(call[2])) - cx, 1);
			if (cx === lastCol && cw === 1)
				continue;
			lastCol = cx;
			ctx.fillStyle = call[6] ? '#cf222e' : '#1f2328';
			ctx.fillRect(cx, yc, cw, 3);
		}
	}

	function arrowHead(x1, y1, x2, y2) {
		var a = Math.atan2(y2 - y1, x2 - x1), l = 6;
		ctx.beginPath();
		ctx.moveTo(x2, y2);
		ctx.lineTo(x2 - l * Math.cos(a - 0.4), y2 - l * Math.sin(a - 0.4));
		ctx.lineTo(x2 - l * Math.cos(a + 0.4), y2 - l * Math.sin(a + 0.4));
		ctx.closePath();
		ctx.fill();
	}

	function msgLabel(m) {
		var text = m[6];
		if (text.length > 24)
			text = text.slice(0, 23) + '\u2026';
		return m[7] > 1 || text === '' ? text + ' (type ' + m[7] + ')' : text;
	}

	/* Message arrows: from the send to the receive that took it; a message still queued at
	 * the end goes dashed to its object's chart (or the end of its sender's lane). */
	function drawArrows() {
		var visible = [];
		D.msgs.forEach(function (m) {
			var a = m[2], b = m[3];
			if (Math.max(a, b) >= t0 && Math.min(a, b) <= t1)
				visible.push(m);
		});
		var merge = visible.length > ARROWS_ONE_BY_ONE;
		var seen = {};
		var labels = visible.length <= LABELS_UP_TO, placed = [];
		drawn.arrows = 0;
		drawn.merged = 0;
		drawn.queued = 0;
		segments = [];
		ctx.save();
		ctx.beginPath();
		ctx.rect(LABEL_W, 0, plotW(), height);
		ctx.clip();
		ctx.font = '10px system-ui, sans-serif';
		visible.forEach(function (m) {
			var x1 = x(m[2]), y1 = laneMid(m[0]);
			var queued = m[1] < 0, x2, y2;
			if (queued) { /* down into its object's chart, where it stays */
				var row = objectRow[m[9]];
				x2 = row === undefined ? x(m[3]) : x1 + 8;
				y2 = row === undefined ? y1 : levelsTop + row * LEVEL_H + 18;
			} else {
				x2 = x(m[3]);
				y2 = laneMid(m[1]);
			}
			if (merge) {
				var key = m[0] + ':' + m[1] + ':' + Math.floor(x1 / MERGE_PX);
				if (seen[key]) {
					drawn.merged++;
					return;
				}
				seen[key] = 1;
			}
			var color = queued ? '#8250df' : merge ? 'rgba(11, 92, 173, 0.45)' : '#0b5cad';
			ctx.strokeStyle = color;
			ctx.fillStyle = color;
			ctx.lineWidth = 1.2;
			ctx.setLineDash(queued ? [4, 3] : []);
			ctx.beginPath();
			ctx.moveTo(x1, y1);
			ctx.lineTo(x2, y2);
			ctx.stroke();
			ctx.setLineDash([]);
			if (y1 !== y2 || x2 - x1 > 6)
				arrowHead(x1, y1, x2, y2);
			if (labels) {
				var label = queued ? 'queued: ' + msgLabel(m) : msgLabel(m);
				var lx = (x1 + x2) / 2 + 3, ly = (y1 + y2) / 2 - 3;
				var lw = ctx.measureText(label).width;
				/* A label that would overprint one already written is left out. */
				var free = placed.every(function (r) {
					return lx + lw < r[0] || lx > r[0] + r[2] || Math.abs(ly - r[1]) > 11;
				});
				if (free) {
					placed.push([lx, ly, lw]);
					ctx.fillStyle = '#0b2e59';
					ctx.fillText(label, lx, ly);
				}
			}
			if (queued) drawn.queued++; else drawn.arrows++;
			if (!merge)
				segments.push([x1, y1, x2, y2, m]);
		});
		ctx.restore();
	}

	/* A queue's or pipe's level: a step line, merged per pixel column (its lowest and
	 * highest level there), and its limit dashed. */
	function drawLevel(i) {
		var o = objects[i], top = levelsTop + i * LEVEL_H + 18, h = LEVEL_H - 24;
		/* The limit sets the scale unless it is far above anything seen (a pipe's 64 KiB
		 * for a few bytes): then the level would be a flat line at the foot. */
		var showLimit = o.limit > 0 && (o.max === 0 || o.limit <= 4 * o.max);
		var scale = Math.max(showLimit ? o.limit : 0, o.max, 1);
		function y(v) { return top + h - h * v / scale; }
		ctx.strokeStyle = '#d0d7de';
		ctx.strokeRect(LABEL_W, top, plotW(), h);
		if (showLimit) {
			ctx.strokeStyle = '#cf222e';
			ctx.setLineDash([5, 4]);
			ctx.beginPath();
			ctx.moveTo(LABEL_W, y(o.limit) + 0.5);
			ctx.lineTo(LABEL_W + plotW(), y(o.limit) + 0.5);
			ctx.stroke();
			ctx.setLineDash([]);
		}
		var lv = o.levels, n = lv.length / 2;
		var times = o.times || (o.times = (function () {
			var a = new Float64Array(n);
			for (var k = 0; k < n; k++) a[k] = lv[2 * k];
			return a;
		})());
		var k0 = Math.max(lowerBound(times, t0) - 1, 0);
		ctx.strokeStyle = '#0b5cad';
		ctx.fillStyle = 'rgba(11, 92, 173, 0.15)';
		ctx.beginPath();
		var px = Math.max(x(times[k0]), LABEL_W), prev = lv[2 * k0 + 1];
		ctx.moveTo(px, y(prev));
		for (var k = k0 + 1; k < n && times[k - 1] <= t1; k++) {
			var nx = Math.min(x(times[k]), LABEL_W + plotW());
			ctx.lineTo(nx, y(prev));
			prev = lv[2 * k + 1];
			ctx.lineTo(nx, y(prev));
		}
		ctx.lineTo(Math.min(x(END), LABEL_W + plotW()), y(prev));
		ctx.stroke();
	}

	function draw() {
		W = Math.max(chart.clientWidth, 300);
		var dpr = window.devicePixelRatio || 1;
		canvas.width = Math.round(W * dpr);
		canvas.height = Math.round(height * dpr);
		canvas.style.width = W + 'px';
		canvas.style.height = height + 'px';
		ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
		ctx.clearRect(0, 0, W, height);
		drawAxis();
		ctx.save();
		ctx.beginPath();
		ctx.rect(LABEL_W, 0, plotW(), height);
		ctx.clip();
		for (var i = 0; i < tasks.length; i++)
			drawLane(i);
		for (var j = 0; j < objects.length; j++)
			drawLevel(j);
		ctx.restore();
		drawArrows();
		rangeEl.textContent = fmtTime(Math.max(Math.round(t0), 0)) + ' \u2013 ' +
				      fmtTime(Math.round(t1)) +
				      (drawn.merged ? '; ' + drawn.merged + ' arrows merged: zoom in to see each' : '');
		if (statusEl)
			updateStatus();
	}

	/* ---- Hover and click ---- */
	function callAt(lane, px) {
		var t = tasks[lane], best = -1, bestD = 5;
		/* From the call that starts before the window too: it may reach into it. */
		var j = Math.max(lowerBound(t.callStart, tAt(px - 6)) - 1, 0);
		for (; j < t.calls.length && t.callStart[j] <= tAt(px + 6); j++) {
			var c = D.calls[t.calls[j]];
			var a = x(c[1]), b = Math.max(x(c[2]), a + 1);
			var d = px < a ? a - px : px > b ? px - b : 0;
			if (d < bestD) {
				bestD = d;
				best = t.calls[j];
			}
		}
		return best;
	}
	function spanAt(lane, tm) {
		var t = tasks[lane], k = lowerBound(t.start, tm + 1e-9) - 1;
		return k >= 0 && t.end[k] >= tm ? t.spans[k] : null;
	}
	function describeSpan(lane, sp) {
		var what = D.states[sp[2]];
		if (sp[2] === BLOCKED)
			what = 'blocked' + (sp[3] ? ' on ' + sp[3] : '') + (sp[4] ? ': ' + sp[4] : '');
		return tasks[lane].name + ': ' + what + '\n' + exactTime(sp[0]) + ' \u2013 ' +
		       exactTime(sp[1]) + ' (' + exactTime(sp[1] - sp[0]) + ')';
	}
	function describeCall(ci) {
		var c = D.calls[ci];
		var lines = [tasks[c[0]].name + ', line ' + c[5] + ': ' + c[4],
			     'time ' + exactTime(c[1]) + ' \u2013 ' + exactTime(c[2]),
			     'result ' + (c[7] ? 'blocked' : c[6] || 'ok')];
		if (c[9])
			lines.push('woke ' + c[9]);
		return lines.join('\n');
	}
	function levelAt(row, tm) {
		var o = objects[row], times = o.times, k = lowerBound(times, tm + 1e-9) - 1;
		var v = k >= 0 ? o.levels[2 * k + 1] : 0;
		return o.name + ': ' + v + ' ' + o.unit + (o.limit > 0 ? ' of ' + o.limit : '') +
		       ' at ' + exactTime(Math.round(tm));
	}
	function where(ev) {
		var r = canvas.getBoundingClientRect();
		return { px: ev.clientX - r.left, py: ev.clientY - r.top };
	}
	/* The message whose arrow passes within 4 pixels of (px, py), or null. */
	function arrowAt(px, py) {
		var best = null, bestD = 4;
		segments.forEach(function (g) {
			var dx = g[2] - g[0], dy = g[3] - g[1], l2 = dx * dx + dy * dy;
			var u = l2 ? Math.max(0, Math.min(1, ((px - g[0]) * dx + (py - g[1]) * dy) / l2)) : 0;
			var ex = g[0] + u * dx - px, ey = g[1] + u * dy - py;
			var d = Math.sqrt(ex * ex + ey * ey);
			if (d < bestD) {
				bestD = d;
				best = g[4];
			}
		});
		return best;
	}
	function describeMsg(m) {
		return 'message #' + m[8] + ' ' + JSON.stringify(m[6]) + ', type ' + m[7] +
		       (m[9] ? ', via ' + m[9] : '') + '\n' + tasks[m[0]].name + ' sent it at ' +
		       exactTime(m[2]) + '\n' + (m[1] >= 0 ? tasks[m[1]].name + ' took it at ' +
		       exactTime(m[3]) : 'still queued at the end');
	}
	function hover(ev) {
		var p = where(ev), text = '';
		var m = p.px >= LABEL_W ? arrowAt(p.px, p.py) : null;
		if (p.px >= LABEL_W && p.py >= lanesTop && p.py < lanesBottom) {
			var lane = Math.floor((p.py - lanesTop) / LANE_H);
			var ci = callAt(lane, p.px);
			var sp = spanAt(lane, tAt(p.px));
			/* An arrow under the pointer comes first: calls are under most arrows' ends. */
			text = m ? describeMsg(m) : ci >= 0 ? describeCall(ci) :
			       sp ? describeSpan(lane, sp) : '';
		} else if (m) {
			text = describeMsg(m);
		} else if (p.px >= LABEL_W && p.py >= levelsTop && objects.length) {
			var row = Math.floor((p.py - levelsTop) / LEVEL_H);
			if (row < objects.length)
				text = levelAt(row, tAt(p.px));
		}
		tip.style.display = text ? 'block' : 'none';
		tip.textContent = text;
		tip.style.left = Math.min(ev.clientX + 14, window.innerWidth - 300) + 'px';
		tip.style.top = (ev.clientY + 14) + 'px';
	}
	function showDetails(ci) {
		var c = D.calls[ci];
		details.textContent = '';
		details.className = '';
		var dl = el('dl');
		function row(k, v) {
			dl.appendChild(el('dt', {}, k));
			dl.appendChild(el('dd', { 'class': 'mono' }, v));
		}
		row('process', tasks[c[0]].name);
		row('line', String(c[5]));
		row('call', c[4]);
		row('result', c[7] ? 'blocked (its return is a call of its own)' : c[6] || 'ok');
		if (c[6])
			row('errno', c[6]);
		row('time', exactTime(c[1]) + ' \u2013 ' + exactTime(c[2]));
		if (c[10] >= 0)
			row('returns', 'the call at ' + exactTime(D.calls[c[10]][1]) + ': ' +
			    D.calls[c[10]][4]);
		row('woke', c[9] || 'nobody');
		if (c[8] >= 0) {
			var m = D.msgs.filter(function (mm) { return mm[4] === ci || mm[5] === ci; })[0];
			if (m)
				row('message', '#' + m[8] + ' ' + JSON.stringify(m[6]) + ' type ' + m[7] +
				    ': ' + tasks[m[0]].name + ' \u2192 ' +
				    (m[1] >= 0 ? tasks[m[1]].name : 'still queued in ' + m[9]));
		}
		details.appendChild(dl);
	}

	var drag = null;
	canvas.addEventListener('mousemove', function (ev) {
		if (drag) {
			var dt = (ev.clientX - drag.x) * (t1 - t0) / plotW();
			drag.moved = drag.moved || Math.abs(ev.clientX - drag.x) > 3;
			setView(drag.t0 - dt, drag.t1 - dt);
			return;
		}
		hover(ev);
	});
	canvas.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
	canvas.addEventListener('mousedown', function (ev) {
		drag = { x: ev.clientX, t0: t0, t1: t1, moved: false };
		canvas.classList.add('dragging');
	});
	window.addEventListener('mouseup', function (ev) {
		if (!drag)
			return;
		var moved = drag.moved;
		drag = null;
		canvas.classList.remove('dragging');
		if (moved)
			return;
		var p = where(ev);
		if (p.px < LABEL_W || p.py < lanesTop || p.py >= lanesBottom)
			return;
		var ci = callAt(Math.floor((p.py - lanesTop) / LANE_H), p.px);
		if (ci >= 0)
			showDetails(ci);
	});
	canvas.addEventListener('wheel', function (ev) {
		ev.preventDefault();
		var p = where(ev);
		var at = Math.min(Math.max((p.px - LABEL_W) / plotW(), 0), 1);
		zoom(Math.exp(ev.deltaY * 0.0015), at);
	}, { passive: false });
	chart.addEventListener('keydown', function (ev) {
		var k = ev.key;
		if (k === '+' || k === '=') zoom(0.5, 0.5);
		else if (k === '-') zoom(2, 0.5);
		else if (k === '0') setView(0, FIT);
		else if (k === 'ArrowLeft') pan(-0.25);
		else if (k === 'ArrowRight') pan(0.25);
		else return;
		ev.preventDefault();
	});
	window.addEventListener('resize', draw);
	window.addEventListener('beforeprint', function () { t0 = 0; t1 = FIT; draw(); });

	/* ---- The wait-for graph at a deadlock ---- */
	function drawWaitFor() {
		var box = document.getElementById('waitfor');
		if (!box || !D.deadlocks.length)
			return [];
		/* The report's "nobody (no live process can release it)": one node in the middle,
		 * under a key no process can have. */
		var NOBODY = '\u0000nobody';
		var names = [], index = {}, edges = [];
		function node(name) {
			if (!(name in index)) {
				index[name] = names.length;
				names.push(name);
			}
			return index[name];
		}
		D.deadlocks.forEach(function (d) { node(tasks[d.task].name); });
		D.deadlocks.forEach(function (d) {
			var from = index[tasks[d.task].name];
			(d.waits.length ? d.waits : [null]).forEach(function (w) {
				var to = w, note = '';
				if (w === null) {
					to = NOBODY;
				} else {
					var p = w.indexOf(' (');
					if (p > 0 && tasks.some(function (t) { return t.name === w.slice(0, p); })) {
						to = w.slice(0, p);
						note = w.slice(p + 1);
					}
				}
				edges.push([from, node(to), note]);
			});
		});
		var n = names.length, R = n > 1 ? 60 + 25 * n : 0, BW = 120, BH = 30;
		var size = 2 * R + BW + 60;
		var NS = 'http://www.w3.org/2000/svg';
		function svgEl(tag, attrs, text) {
			var e = document.createElementNS(NS, tag);
			for (var k in attrs)
				if (Object.prototype.hasOwnProperty.call(attrs, k))
					e.setAttribute(k, attrs[k]);
			if (text !== undefined)
				e.textContent = text;
			return e;
		}
		var svg = svgEl('svg', { width: size, height: size - BW + BH + 40,
					 viewBox: '0 0 ' + size + ' ' + (size - BW + BH + 40),
					 role: 'img', 'aria-label': 'wait-for graph' });
		var defs = svgEl('defs');
		var marker = svgEl('marker', { id: 'wf-arrow', viewBox: '0 0 10 10', refX: 10, refY: 5,
					       markerWidth: 8, markerHeight: 8, orient: 'auto' });
		marker.appendChild(svgEl('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#1f2328' }));
		defs.appendChild(marker);
		svg.appendChild(defs);
		var cx = size / 2, cy = R + BH / 2 + 20;
		var around = names.filter(function (nm) { return nm !== NOBODY; }).length, k = 0;
		var pos = names.map(function (nm) {
			if (nm === NOBODY)
				return [cx, cy];
			var a = -Math.PI / 2 + 2 * Math.PI * (k++) / around;
			return [cx + R * Math.cos(a), cy + R * Math.sin(a)];
		});
		/* Where the line from a to b leaves the box around b. */
		function border(a, b) {
			var dx = a[0] - b[0], dy = a[1] - b[1];
			var s = Math.min(Math.abs(dx) > 0 ? (BW / 2) / Math.abs(dx) : 1e9,
					 Math.abs(dy) > 0 ? (BH / 2 + 2) / Math.abs(dy) : 1e9);
			return [b[0] + dx * s, b[1] + dy * s];
		}
		edges.forEach(function (e) {
			var a = pos[e[0]], b = pos[e[1]], path;
			if (e[0] === e[1]) {
				path = 'M' + (a[0] + 20) + ',' + (a[1] - BH / 2) + ' C' + (a[0] + 50) + ',' +
				       (a[1] - BH * 2) + ' ' + (a[0] + 90) + ',' + (a[1] - BH / 2) + ' ' +
				       (a[0] + BW / 2) + ',' + (a[1] - 4);
			} else {
				/* Bent to its right, so that a -> b and b -> a do not overlap. */
				var p = border(a, b), q = border(b, a);
				var mx = (p[0] + q[0]) / 2, my = (p[1] + q[1]) / 2;
				var dx = p[0] - q[0], dy = p[1] - q[1], len = Math.sqrt(dx * dx + dy * dy) || 1;
				var bend = 28;
				path = 'M' + q[0] + ',' + q[1] + ' Q' + (mx - dy / len * bend) + ',' +
				       (my + dx / len * bend) + ' ' + p[0] + ',' + p[1];
			}
			svg.appendChild(svgEl('path', { 'class': 'edge', d: path,
							'marker-end': 'url(#wf-arrow)' }));
			if (e[2]) {
				svg.appendChild(svgEl('text', { x: (a[0] + b[0]) / 2 + 40,
								y: (a[1] + b[1]) / 2 - BH,
								'font-size': 11 }, 'waits for ' + e[2]));
			}
		});
		names.forEach(function (name, i) {
			if (name === NOBODY) {
				svg.appendChild(svgEl('text', { x: pos[i][0], y: pos[i][1] + 4,
								'text-anchor': 'middle', 'class': 'nobody' },
						      'nobody (no live process can release it)'));
				return;
			}
			var g = svgEl('g', { 'class': 'node' });
			var d = D.deadlocks.filter(function (dd) { return tasks[dd.task].name === name; })[0];
			g.appendChild(svgEl('title', {}, d ? d.text : name));
			g.appendChild(svgEl('rect', { x: pos[i][0] - BW / 2, y: pos[i][1] - BH / 2,
						      width: BW, height: BH, rx: 6 }));
			g.appendChild(svgEl('text', { x: pos[i][0], y: pos[i][1] + 4,
						      'text-anchor': 'middle' }, name));
			svg.appendChild(g);
		});
		box.appendChild(svg);
		return names.filter(function (nm) { return nm !== NOBODY; });
	}

	/* ---- What was drawn, for the browser test ---- */
	function updateStatus() {
		statusEl.setAttribute('data-arrows', String(drawn.arrows));
		statusEl.setAttribute('data-merged', String(drawn.merged));
		statusEl.setAttribute('data-queued', String(drawn.queued));
	}

	/* A view given in the address (report.html#view=T0,T1, in nanoseconds) is where the
	 * page opens: a link can show one moment of a long run. */
	var hv = /view=(\d+),(\d+)/.exec(location.hash);
	if (hv && +hv[2] > +hv[1])
		setView(+hv[1], +hv[2]);
	else
		draw();
	var graphNodes = drawWaitFor();
	statusEl = el('div', { id: 'msgsim-status', hidden: 'hidden' });
	statusEl.setAttribute('data-lanes', String(chart.querySelectorAll('.lane-label').length));
	statusEl.setAttribute('data-levels', String(objects.length));
	statusEl.setAttribute('data-messages', String(D.msgs.length));
	statusEl.setAttribute('data-deadlock-nodes', graphNodes.join(','));
	statusEl.setAttribute('data-errors', String(errors.length));
	updateStatus();
	document.body.appendChild(statusEl);

	/* report.html#selftest: the page works itself as a reader would (zoom, pan, a hover and
	 * a click on the first call, a hover on the first arrow, as mouse events on the canvas)
	 * and says in
	 * data-selftest what went wrong, or "ok". The browser test opens it so. */
	function selftest() {
		var problems = [];
		var before = t1 - t0;
		zoom(0.5, 0.5);
		if (!(t1 - t0 < before)) problems.push('zoom in did not narrow the view');
		var mid = t0;
		pan(0.25);
		if (!(t0 > mid)) problems.push('pan did not move the view');
		setView(0, FIT);
		if (D.calls.length) {
			/* Over the first call, at the first point of its lane no arrow crosses. */
			var c = D.calls[0], r = canvas.getBoundingClientRect(), at = null;
			var xa = x(c[1]), xb = Math.max(x(c[2]), xa + 1);
			for (var dx = 0; dx <= xb - xa && !at; dx += 1) {
				for (var dy = -8; dy <= 8 && !at; dy += 4) {
					if (arrowAt(xa + dx, laneMid(c[0]) + dy))
						continue;
					at = { clientX: r.left + xa + dx, clientY: r.top + laneMid(c[0]) + dy,
					       bubbles: true };
				}
			}
			at = at || { clientX: r.left + xa, clientY: r.top + laneMid(c[0]), bubbles: true };
			canvas.dispatchEvent(new MouseEvent('mousemove', at));
			if (tip.textContent.indexOf(c[4]) < 0)
				problems.push('hovering the first call does not show it: ' + tip.textContent);
			canvas.dispatchEvent(new MouseEvent('mousedown', at));
			window.dispatchEvent(new MouseEvent('mouseup', at));
			if (details.textContent.indexOf(c[4]) < 0 ||
			    details.textContent.indexOf('line' + c[5]) < 0)
				problems.push('clicking the first call does not detail it: ' +
					      details.textContent);
		}
		if (segments.length) { /* a point along the first arrow, away from any call */
			var g = segments[0], rr = canvas.getBoundingClientRect(), shown = false;
			for (var u = 0.2; u < 0.85 && !shown; u += 0.1) {
				canvas.dispatchEvent(new MouseEvent('mousemove', {
					clientX: rr.left + g[0] + u * (g[2] - g[0]),
					clientY: rr.top + g[1] + u * (g[3] - g[1]), bubbles: true }));
				shown = tip.textContent.indexOf('message #') === 0; /* it or one it crosses */
			}
			if (!shown)
				problems.push('hovering an arrow does not show its message');
		}
		statusEl.setAttribute('data-selftest', problems.length ? problems.join('; ') : 'ok');
	}
	if (/selftest/.test(location.hash))
		selftest();
})();
