package io.restorepoint.worker.jobs;

import io.restorepoint.messaging.ContractPublisher;
import io.restorepoint.schemas.command.BackupRequested;
import io.restorepoint.schemas.command.ImportRequested;
import io.restorepoint.schemas.command.JobCommand;
import io.restorepoint.schemas.command.RestoreRequested;
import io.restorepoint.schemas.command.VerifyRequested;
import io.restorepoint.schemas.job.JobEvent;
import io.restorepoint.worker.events.JobEmitter;
import io.restorepoint.worker.ledger.JobLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import io.restorepoint.messaging.TraceLogging;
import io.restorepoint.schemas.kafka.CloudEventHeaders;
import io.restorepoint.schemas.kafka.TraceContext;

import java.util.Optional;

/**
 * Takes commands off the command topic. A command is acknowledged only after its job has published
 * its terminal event: a worker that dies mid-job leaves the command to be delivered again, to itself
 * after a restart or to another worker of the pool. A command whose job already ended (it is in the
 * {@link JobLedger}) is not run again; its outcome is published once more.
 */
@Component
public class CommandListener {

    private static final Logger log = LoggerFactory.getLogger(CommandListener.class);

    private final BackupJob backups;
    private final RestoreJob restores;
    private final VerifyJob verifies;
    private final ImportJob imports;
    private final JobLedger ledger;
    private final ContractPublisher publisher;

    CommandListener(BackupJob backups, RestoreJob restores, VerifyJob verifies, ImportJob imports, JobLedger ledger,
            ContractPublisher publisher) {
        this.backups = backups;
        this.restores = restores;
        this.verifies = verifies;
        this.imports = imports;
        this.ledger = ledger;
        this.publisher = publisher;
    }

    @KafkaListener(id = "worker-commands", topics = "#{T(io.restorepoint.schemas.Topics).COMMANDS.name()}",
            containerFactory = CommandsKafkaConfiguration.COMMANDS_FACTORY,
            concurrency = "${restorepoint.worker.concurrency:2}")
    public void on(JobCommand command,
            @org.springframework.messaging.handler.annotation.Header(name = CloudEventHeaders.TRACEPARENT, required = false)
            String traceparent) {
        // the job's log lines and events carry the trace of the request that started it
        try (TraceLogging.Scope scope = TraceLogging.open(TraceContext.parse(traceparent))) {
            run(command);
        }
    }

    private void run(JobCommand command) {
        Optional<JobEvent> ended = ledger.ended(command.project(), command.commandId());
        if (ended.isPresent()) {
            log.info("job {}: delivered again after it ended {}, publishing its outcome again", command.commandId(),
                    ended.get().status().wire());
            JobEmitter.publish(publisher, ended.get());
            return;
        }
        if (command instanceof BackupRequested backup) {
            backups.run(backup);
        } else if (command instanceof RestoreRequested restore) {
            restores.run(restore);
        } else if (command instanceof VerifyRequested verify) {
            verifies.run(verify);
        } else if (command instanceof ImportRequested load) {
            imports.run(load);
        }
    }
}
