module app.seq {
    requires stogger.core;
}
