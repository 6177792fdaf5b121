// The import status page asks how far the dry run or import has got, every two seconds,
// moves the progress bar, and reloads the page once the work is finished.
const status = document.getElementById('import-status')
const bar = document.getElementById('import-progress')
const label = document.getElementById('import-status-label')
const working = ['checking', 'queued', 'running']

async function poll () {
  try {
    const response = await fetch(status.dataset.progressUrl, { headers: { Accept: 'application/json' } })
    if (response.ok) {
      const state = await response.json()
      if (!working.includes(state.status)) {
        window.location.reload()
        return
      }
      if (bar) {
        bar.max = Math.max(state.total, 1)
        bar.value = state.done
        bar.textContent = `${state.done} of ${state.total}`
      }
      label.textContent = state.label
    }
  } catch (error) {
    // The network dropped: try again at the next tick.
  }
  window.setTimeout(poll, 2000)
}

if (status && working.includes(status.dataset.status)) {
  window.setTimeout(poll, 2000)
}
