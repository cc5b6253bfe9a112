// Progressive enhancement only: every page works without this file.
// Occupation fields: as the user types, offer ESCO occupations (titles and alternative
// labels) from the API in the field's datalist.
document.querySelectorAll('input[data-occupation-search]').forEach((input) => {
  const list = document.getElementById(input.getAttribute('list'));
  const original = list.innerHTML;
  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 3 || /^\d/.test(q)) { list.innerHTML = original; return; }
    timer = setTimeout(async () => {
      try {
        const res = await fetch(`/api/v1/occupations?q=${encodeURIComponent(q)}`, { credentials: 'same-origin' });
        if (!res.ok) return;
        const { items } = await res.json();
        list.innerHTML = '';
        for (const hit of items) {
          const option = document.createElement('option');
          option.value = `${hit.isco_code} ${hit.isco_title}`;
          option.label = hit.matched_label ? `${hit.occupation} (${hit.matched_label})` : hit.occupation;
          list.appendChild(option);
        }
      } catch (_) { /* offline: keep the unit groups */ }
    }, 200);
  });
});

// A file chosen for a CSV import is read into the form's text area (the form posts text).
document.querySelectorAll('input[type=file][data-fill]').forEach((input) => {
  const target = document.getElementById(input.dataset.fill);
  input.addEventListener('change', () => {
    const file = input.files && input.files[0];
    if (!file || !target) return;
    const reader = new FileReader();
    reader.onload = () => { target.value = String(reader.result || ''); };
    reader.readAsText(file, 'utf-8');
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
