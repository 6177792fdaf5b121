// Runs first in <body> so GOV.UK Frontend styles apply before components initialise.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
