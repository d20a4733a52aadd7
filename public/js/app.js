// Alpine components, registered by name: Alpine's CSP build evaluates no inline JavaScript,
// so every x-data names one of these and templates only read properties or call methods.
document.addEventListener('alpine:init', () => {
  const Alpine = window.Alpine;

  // Setup step 4: the SMTP fields appear only when alerts are enabled.
  Alpine.data('smtpForm', () => ({
    enabled: false,
    init() {
      this.enabled = this.$el.dataset.enabled === 'true';
    },
    get disabled() {
      return !this.enabled;
    },
  }));

  // Setup step 5: copy the key to the clipboard.
  Alpine.data('copyKey', () => ({
    label: 'Copy',
    async copy() {
      try {
        await navigator.clipboard.writeText(this.$refs.key.textContent.trim());
        this.label = 'Copied';
      } catch {
        this.label = 'Select and copy it by hand';
      }
    },
  }));

  // Setup step 5: "Complete Setup" stays disabled until the key is saved.
  Alpine.data('savedKey', () => ({
    saved: false,
    get notSaved() {
      return !this.saved;
    },
  }));
});
