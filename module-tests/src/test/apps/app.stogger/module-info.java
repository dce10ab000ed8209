module app.stogger {
    requires stogger.core;
}
