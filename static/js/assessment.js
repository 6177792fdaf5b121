// Assessment pages: controls that need JavaScript, and resolving a save conflict
// by taking the other person's text. Saving as you type is done by htmx (see
// templates/assessments/includes/form.html); without JavaScript the forms post normally.
(function () {
  'use strict'

  function showScriptedControls (root) {
    root.querySelectorAll('.tac-js-only').forEach(function (el) { el.hidden = false })
  }

  function setHidden (form, name, value) {
    const input = form.querySelector('input[name="' + name + '"]')
    if (input) { input.value = value }
  }

  document.addEventListener('click', function (event) {
    const take = event.target.closest('[data-use-theirs]')
    if (take) {
      const id = take.getAttribute('data-use-theirs')
      const field = document.getElementById(id)
      const theirs = document.getElementById('theirs-' + id)
      if (!field || !theirs) { return }
      field.value = theirs.value
      const form = field.form
      const name = take.getAttribute('data-field')
      // Their text, at their version: the next save builds on it.
      setHidden(form, 'v_' + name, take.getAttribute('data-version'))
      setHidden(form, 'h_' + name, take.getAttribute('data-fingerprint'))
      const panel = take.closest('.tac-conflict')
      if (panel) { panel.remove() }
      field.focus()
      return
    }
    if (event.target.closest('[data-print-page]')) {
      window.print()
    }
  })

  document.addEventListener('DOMContentLoaded', function () { showScriptedControls(document) })
  document.body.addEventListener('htmx:afterSwap', function (event) { showScriptedControls(event.detail.target) })
})()
