// Meeting mode: keep what is typed on this device until the server has saved it.
// Loaded after htmx; no inline scripts (CSP) and no eval.
(function () {
  'use strict'
  if (window.htmx) {
    window.htmx.config.includeIndicatorStyles = false
    window.htmx.config.allowEval = false
    window.htmx.config.allowScriptTags = false
  }
  var storage
  try { storage = window.localStorage } catch (e) { storage = null }

  function draftKey (form) { return 'tac-draft:' + form.getAttribute('data-draft-key') }

  function setStatus (form, text) {
    var status = form.querySelector('.tac-autosave__status')
    if (status && !status.hasAttribute('data-conflict')) status.textContent = text
  }

  document.addEventListener('input', function (event) {
    var form = event.target.closest && event.target.closest('form.tac-autosave')
    if (!form || !storage) return
    storage.setItem(draftKey(form), event.target.value)
    setStatus(form, 'Not saved yet…')
  })

  document.addEventListener('htmx:afterRequest', function (event) {
    var form = event.detail.elt
    if (!form || !form.matches || !form.matches('form.tac-autosave') || !storage) return
    var ok = event.detail.successful && event.detail.xhr.responseText.indexOf('data-conflict') === -1
    if (ok) storage.removeItem(draftKey(form))
    if (!event.detail.successful) setStatus(form, 'Not saved: check your connection. Your text is kept on this device.')
  })

  // Text typed here but never saved (the laptop closed, the connection dropped):
  // put it back and save it now, once htmx has wired up the forms.
  function restoreDrafts () {
    if (!storage) return
    document.querySelectorAll('form.tac-autosave').forEach(function (form) {
      var draft = storage.getItem(draftKey(form))
      var area = form.querySelector('textarea')
      if (draft === null || !area) return
      if (draft === area.value) { storage.removeItem(draftKey(form)); return }
      area.value = draft
      setStatus(form, 'Restored text typed on this device that had not been saved. Saving…')
      if (window.htmx) window.htmx.trigger(form, 'submit')
    })
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { window.setTimeout(restoreDrafts, 0) })
  } else {
    window.setTimeout(restoreDrafts, 0)
  }
})()
