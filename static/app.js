// Progressive enhancement only: every page works without this file.
// Occupation fields: as the user types, offer ESCO occupations (titles and alternative
// labels) from the API in the field's datalist.
document.querySelectorAll('input[data-occupation-search]').forEach((input) => {
  const list = document.getElementById(input.getAttribute('list'));
  const original = list.innerHTML;
  // Several occupations, separated by semicolons: search for the last one and offer
  // whole values that keep the ones before it.
  const multiple = input.hasAttribute('data-multiple');
  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const parts = multiple ? input.value.split(';') : [input.value];
    const q = parts.pop().trim();
    const head = parts.length ? `${parts.join(';').trim()}; ` : '';
    if (q.length < 3 || /^\d/.test(q)) { list.innerHTML = original; return; }
    timer = setTimeout(async () => {
      try {
        const res = await fetch(`/api/v1/occupations?q=${encodeURIComponent(q)}`, { credentials: 'same-origin' });
        if (!res.ok) return;
        const { items } = await res.json();
        // One line per occupation group, with the job titles that led to it.
        const groups = new Map();
        for (const hit of items) {
          const g = groups.get(hit.isco_code) || { title: hit.isco_title, words: [] };
          const word = hit.matched_label || hit.occupation;
          if (!g.words.includes(word) && word !== hit.isco_title) g.words.push(word);
          groups.set(hit.isco_code, g);
        }
        list.innerHTML = '';
        for (const [code, g] of groups) {
          const option = document.createElement('option');
          option.value = `${head}${code} ${g.title}`;
          option.label = g.words.slice(0, 4).join(', ');
          list.appendChild(option);
        }
      } catch (_) { /* offline: keep the unit groups */ }
    }, 200);
  });
});

// A file chosen for a CSV import is read into the form's text area (the form posts text).
// Excel in Finland saves "CSV (semicolon delimited)" as Windows-1252: a file that is not
// UTF-8 is read as that, as the server reads uploaded files.
document.querySelectorAll('input[type=file][data-fill]').forEach((input) => {
  const target = document.getElementById(input.dataset.fill);
  input.addEventListener('change', () => {
    const file = input.files && input.files[0];
    if (!file || !target) return;
    const reader = new FileReader();
    reader.onload = () => {
      const bytes = new Uint8Array(reader.result);
      // A workbook (.xlsx is a zip, .xls an OLE file) is not text: say how to save it.
      const note = document.getElementById(`${input.id}-msg`);
      const workbook = (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4)
        || (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0);
      if (note) {
        note.hidden = !workbook;
        note.textContent = workbook ? input.dataset.workbook || '' : '';
      }
      if (workbook) {
        target.value = '';
        return;
      }
      let text;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch (_) {
        text = new TextDecoder('windows-1252').decode(bytes);
      }
      target.value = text.replace(/^\uFEFF/, '');
    };
    reader.readAsArrayBuffer(file);
  });
});

// A form shown again with messages: bring the first one into view and put the cursor in
// its field (on a long page the form may be far below the top).
const firstError = document.querySelector('.field-error');
if (firstError) {
  const field = document.querySelector(`[aria-describedby~="${firstError.id}"]`);
  firstError.scrollIntoView({ block: 'center' });
  if (field) field.focus({ preventScroll: true });
}

// Print buttons (the page prints fine from the browser menu without this).
document.querySelectorAll('[data-print]').forEach((button) => {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
});

// A contact day's tally and ticks, kept current while the page is open: everyone on the
// day sees colleagues' calls come in. Without this file the page shows the state at load.
document.querySelectorAll('[data-live]').forEach((box) => {
  const url = box.dataset.live;
  const note = box.querySelector('.live-note');
  if (note) note.hidden = false;
  const put = (scope, tally) => {
    document.querySelectorAll(`[data-tally="${scope}"] [data-k]`).forEach((el) => {
      const v = tally[el.dataset.k];
      if (v !== undefined && el.textContent !== String(v)) el.textContent = String(v);
    });
  };
  const refresh = async () => {
    if (document.hidden) return;
    try {
      const res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (!res.ok) return;
      const live = await res.json();
      put('total', live.total);
      for (const list of live.lists) put(String(list.user_id), list);
      for (const done of live.done) {
        const row = document.getElementById(`e-${done.employer_id}`);
        if (!row) continue;
        row.classList.add('done');
        row.classList.toggle('unanswered', done.unanswered);
        const tick = row.querySelector('.call-tick');
        if (tick) tick.textContent = done.unanswered ? '↻' : '✓';
        const badge = row.querySelector('.call-result');
        if (badge) { badge.textContent = done.label; badge.hidden = false; }
      }
    } catch (_) { /* offline for a moment: try again on the next round */ }
  };
  setInterval(refresh, 5000);
  document.addEventListener('visibilitychange', refresh);
});
