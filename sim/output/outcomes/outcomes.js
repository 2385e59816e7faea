/* outcomes.js — opens a witness's run on the outcome set page (outcomes.c).
 *
 * The table is already HTML; this script only makes each row open its witness's run
 * report in a frame below the table, and says what it found in <div id="msgsim-status">
 * (rows, errors) for tests/browser.sh. The design choice to know: each run report is a whole
 * page of its own, shown with srcdoc, so its script never meets this one.
 * With #selftest in the address it opens the first row and says whether a frame came.
 */
(function () {
	'use strict';
	var errors = 0;
	window.addEventListener('error', function () { errors++; });
	var pages = [];
	try {
		pages = JSON.parse(document.getElementById('msgsim-witnesses').textContent);
	} catch (e) {
		errors++;
	}
	var box = document.getElementById('witness');
	var rows = document.querySelectorAll('#outcomes tr.outcome');

	function open(row) {
		var i = Number(row.getAttribute('data-i'));
		for (var k = 0; k < rows.length; k++)
			rows[k].classList.toggle('open', rows[k] === row);
		box.textContent = '';
		var h = document.createElement('h2');
		h.textContent = 'The run of outcome ' + (i + 1) + "'s witness";
		box.appendChild(h);
		if (typeof pages[i] !== 'string') {
			var p = document.createElement('p');
			p.textContent = 'Not in this page: replay it with msgsim run --schedule and ' +
				'--format html.';
			box.appendChild(p);
			return null;
		}
		var frame = document.createElement('iframe');
		frame.title = 'the witness run of outcome ' + (i + 1);
		frame.srcdoc = pages[i];
		box.appendChild(frame);
		box.scrollIntoView();
		return frame;
	}

	for (var k = 0; k < rows.length; k++)
		rows[k].addEventListener('click', function (ev) { open(ev.currentTarget); });

	var status = document.createElement('div');
	status.id = 'msgsim-status';
	status.hidden = true;
	if (location.hash === '#selftest')
		status.setAttribute('data-selftest',
			rows.length && open(rows[0]) ? 'ok' : 'no frame for the first outcome');
	status.setAttribute('data-rows', String(rows.length));
	status.setAttribute('data-pages', String(pages.filter(function (p) {
		return typeof p === 'string';
	}).length));
	status.setAttribute('data-errors', String(errors));
	document.body.appendChild(status);
})();
