// Site search on the search page: runs the query from ?q= (or the form) against the Pagefind index built
// for this page's language, announces the count in a status region and lists the results. Without
// JavaScript the page still lists every page of the site below the form.
const root = document.getElementById('search-results');
const status = document.getElementById('search-status');
const list = document.getElementById('search-list');
const input = document.getElementById('search-q');
const form = input && input.form;
let pagefind = null;

function say(template, query, count) {
  return template.replace('{q}', query).replace('{n}', String(count));
}

function resultItem(data) {
  const li = document.createElement('li');
  const link = document.createElement('a');
  link.href = data.url;
  link.textContent = (data.meta && data.meta.title) || data.url;
  const heading = document.createElement('h2');
  heading.className = 'search-result-title';
  heading.append(link);
  const excerpt = document.createElement('p');
  // Pagefind's excerpt is this site's own text, escaped, with the matched words in <mark>.
  excerpt.innerHTML = data.excerpt;
  li.append(heading, excerpt);
  return li;
}

async function run(query) {
  list.replaceChildren();
  if (!query) { status.textContent = ''; return; }
  status.textContent = say(root.dataset.busy, query, 0);
  try {
    pagefind = pagefind || await import('/pagefind/pagefind.js');
    const search = await pagefind.search(query);
    const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
    const count = search.results.length;
    const template = count === 0 ? root.dataset.none : count === 1 ? root.dataset.one : root.dataset.many;
    status.textContent = say(template, query, count);
    list.replaceChildren(...results.map(resultItem));
  } catch (e) {
    status.textContent = root.dataset.failed;
  }
}

if (root && input && form) {
  const query = new URLSearchParams(window.location.search).get('q') || '';
  input.value = query;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = input.value.trim();
    const url = new URL(window.location.href);
    url.searchParams.set('q', q);
    window.history.replaceState(null, '', url);
    run(q);
  });
  run(query.trim());
}
