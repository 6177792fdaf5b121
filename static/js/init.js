import { initAll } from '../vendor/govuk-frontend/govuk-frontend.min.js'

initAll()

// A link to something inside a tab (the case page's sections, for example
// "#child-12" in the Family section) opens the tab that holds it.
function showTabHolding (hash) {
  if (!hash || hash.length < 2) return
  const target = document.getElementById(decodeURIComponent(hash.slice(1)))
  const panel = target && target.closest('.govuk-tabs__panel')
  if (!panel || panel === target) return
  const tab = document.querySelector('.govuk-tabs__tab[href="#' + panel.id + '"]')
  if (!tab) return
  tab.click()
  target.scrollIntoView()
}
showTabHolding(window.location.hash)
window.addEventListener('hashchange', function () { showTabHolding(window.location.hash) })

// Signing out clears what the portal kept in this browser, meeting mode's unsaved notes
// included: say so first, once, when there are some.
function hasUnsavedDrafts () {
  try {
    for (let i = 0; i < window.localStorage.length; i++) {
      if (window.localStorage.key(i).indexOf('tac-draft:') === 0) return true
    }
  } catch (e) {
    return false
  }
  return false
}
document.querySelectorAll('form[data-sign-out]').forEach(function (form) {
  form.addEventListener('submit', function (event) {
    const warning = form.querySelector('#sign-out-warning')
    if (!warning || !warning.hidden || !hasUnsavedDrafts()) return
    event.preventDefault()
    warning.hidden = false
  })
})
