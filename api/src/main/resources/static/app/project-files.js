// The project's files, kept in localStorage under stemcache.project.files as a JSON array of
// {id, name, contentHash, size, addedAt}. `?files=id1,id2` opens those file ids instead (for links, tests and the
// benchmark); such a project is not saved unless a file is added to it.

export const FILES_KEY = 'stemcache.project.files';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function storedFiles() {
  try {
    const files = JSON.parse(localStorage.getItem(FILES_KEY));
    return Array.isArray(files) ? files.filter((f) => UUID.test(f?.id)) : [];
  } catch {
    return [];
  }
}

/** {files, fromQuery, rejected}: the query's ids when it names some (bad ids are listed in rejected), else the stored ones. */
export function projectFiles(search = location.search) {
  const query = new URLSearchParams(search).get('files');
  if (query === null) return { files: storedFiles(), fromQuery: false, rejected: [] };
  const ids = query.split(',').map((id) => id.trim().toLowerCase()).filter(Boolean);
  const known = new Map(storedFiles().map((f) => [f.id, f]));
  const valid = [...new Set(ids.filter((id) => UUID.test(id)))];
  return {
    files: valid.map((id) => known.get(id) ?? { id, name: null }),
    fromQuery: true,
    rejected: ids.filter((id) => !UUID.test(id)),
  };
}

/** Adds (or refreshes) a file in the stored project; returns the stored list. */
export function addFile(file) {
  const files = storedFiles().filter((f) => f.id !== file.id);
  files.push(file);
  localStorage.setItem(FILES_KEY, JSON.stringify(files));
  return files;
}

export function removeFile(id) {
  localStorage.setItem(FILES_KEY, JSON.stringify(storedFiles().filter((f) => f.id !== id)));
}
