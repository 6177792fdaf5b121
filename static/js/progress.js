// A page showing work in progress (a subject access package being built) checks again
// by itself: it reloads after the number of milliseconds its element names.
const element = document.querySelector("[data-reload-while-running]");
if (element) {
  const delay = Number(element.dataset.reloadWhileRunning) || 3000;
  window.setTimeout(() => window.location.reload(), delay);
}
