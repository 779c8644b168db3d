package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** The plan of the current run: what it would apply, where its text is kept, its digest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlanStatus {

  @JsonPropertyDescription("Rendered (the SQL is kept), Unavailable (the engine could not render "
      + "it offline; the message says why), or MultipleHeads (refused: the upgrade's target is "
      + "ambiguous).")
  private String state;

  @JsonPropertyDescription("sha256 of the kept plan text (data.plan of the ConfigMap): approve "
      + "with the annotation dbmigration.dev/approve=<this digest>.")
  private String digest;

  @JsonPropertyDescription("The revision range the plan covers, <database revision>:<target>.")
  private String range;

  @JsonPropertyDescription("The database's revision the plan starts from, as the operator read it.")
  private String from;

  @JsonPropertyDescription("upgrade or downgrade.")
  private String action;

  @JsonPropertyDescription("The target the plan goes to.")
  private String target;

  @JsonPropertyDescription("The image the plan was rendered from.")
  private String image;

  @JsonPropertyDescription("The ConfigMap holding the plan's text (key plan).")
  private String configMap;

  @JsonPropertyDescription("The Job that rendered the plan.")
  private String jobName;

  @JsonPropertyDescription("The heads of the script directory (Alembic).")
  private List<String> heads;

  @JsonPropertyDescription("True when the text was longer than the operator keeps and was cut.")
  private Boolean truncated;

  @JsonPropertyDescription("Why the plan is not Rendered.")
  private String message;

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
  }

  public String getRange() {
    return range;
  }

  public void setRange(String range) {
    this.range = range;
  }

  public String getFrom() {
    return from;
  }

  public void setFrom(String from) {
    this.from = from;
  }

  public String getAction() {
    return action;
  }

  public void setAction(String action) {
    this.action = action;
  }

  public String getTarget() {
    return target;
  }

  public void setTarget(String target) {
    this.target = target;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getConfigMap() {
    return configMap;
  }

  public void setConfigMap(String configMap) {
    this.configMap = configMap;
  }

  public String getJobName() {
    return jobName;
  }

  public void setJobName(String jobName) {
    this.jobName = jobName;
  }

  public List<String> getHeads() {
    return heads;
  }

  public void setHeads(List<String> heads) {
    this.heads = heads;
  }

  public Boolean getTruncated() {
    return truncated;
  }

  public void setTruncated(Boolean truncated) {
    this.truncated = truncated;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlanStatus p && Objects.equals(state, p.state)
        && Objects.equals(digest, p.digest) && Objects.equals(range, p.range)
        && Objects.equals(from, p.from) && Objects.equals(action, p.action)
        && Objects.equals(target, p.target) && Objects.equals(image, p.image)
        && Objects.equals(configMap, p.configMap) && Objects.equals(jobName, p.jobName)
        && Objects.equals(heads, p.heads) && Objects.equals(truncated, p.truncated)
        && Objects.equals(message, p.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(state, digest, range, jobName);
  }
}
