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
